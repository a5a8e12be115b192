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

    /** The queue's settings, or null when the run imports this stage's dataset instead of collecting it. */
    QueueSettings queue(RunSpec spec);
}
