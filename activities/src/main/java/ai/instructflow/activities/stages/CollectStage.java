package ai.instructflow.activities.stages;

import ai.instructflow.activities.labeling.QueueSettings;
import ai.instructflow.activities.labeling.TaskKind;
import ai.instructflow.workflows.RunSpec;

/**
 * A stage whose data people (or the simulated people) make through a labeling queue: the kind of
 * task it serves, and its queue's settings from the run spec.
 *
 * @param <R> the dataset row one label becomes
 */
public interface CollectStage<R> extends PipelineStage {

    TaskKind<R> taskKind();

    /** The queue's settings, or null when the stage asks no one (its dataset is imported, say). */
    QueueSettings queue(RunSpec spec);

    /**
     * Whether the stage's work starts from material its task kind generates in shards (see
     * {@link TaskKind#shards}): where its queue makes tasks of it, unless the stage uses it without one.
     */
    default boolean generates(RunSpec spec) {
        return queue(spec) != null;
    }

    /** Whether the built-in suite's simulated people answer the queue. */
    default boolean simulated(RunSpec spec) {
        return RunSpec.SIMULATED.equals(spec.labelers());
    }

    /**
     * The labeler group the queue's people must come from, or null when anyone may label; a queue
     * with a group also refuses whoever labeled the run's training data (held-out judges).
     */
    default String group(RunSpec spec) {
        return null;
    }
}
