package ai.instructflow.activities.labeling;

import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.List;
import java.util.Random;

/**
 * One kind of labeling task, whole: the tasks a queue of it serves, what a valid label is, how a
 * simulated person answers, the dataset row a label becomes, and how far labelers agree. The queue
 * workflow, {@link LabelingClient} and the labeling activities hold nothing of any one kind; adding
 * a kind is one implementation of this, listed in {@link TaskKinds}.
 *
 * @param <R> the dataset row a label becomes
 */
public interface TaskKind<R> {

    /** At most this many shards: enough for a pool of that many workers, each loading a model once. */
    int MAX_SHARDS = 8;

    LabelingKind kind();

    /**
     * How many shards the material a new queue's tasks are made from is generated in (a ranking queue's
     * K samples per prompt, a verdict queue's answers), each a separate activity that any worker of the
     * pool may take; 0 where the kind generates nothing.
     */
    default int shards(TaskSource source) {
        return 0;
    }

    /** Shard {@code shard} of {@code count} of that material, as lines of text. */
    default List<String> generate(TaskSource source, int shard, int count) {
        throw new UnsupportedOperationException(kind() + " tasks are made from nothing generated");
    }

    /**
     * The tasks of a new queue (unnumbered; the caller shuffles and numbers them) and what the folder
     * says about them, from {@code generated}: every shard's lines in shard order (none where there are no shards).
     */
    QueueTasks makeTasks(TaskSource source, List<String> generated);

    /** Every reason {@code label} is not a valid answer to {@code task}, by field. */
    void check(QueueSpec queue, LabelingTask task, Label label, List<FieldError> errors);

    /** How the built-in suite's simulated people of a queue answer its tasks. */
    SimulatedAnswers simulated(Recipe recipe, QueueMeta meta);

    /** The dataset row one label of {@code task} becomes. */
    R row(LabelingTask task, Label label, PromptFormat format);

    /** Agreement between labelers who answered the same task, null where it is not measured. */
    Double agreement(List<LabelingTask> tasks, List<Label> labels);

    /** A new queue's tasks and the meta written beside them. */
    record QueueTasks(QueueMeta meta, List<LabelingTask> tasks) {}

    /** A simulated labeler's answer: its randomness fixed by (seed, task, labeler), so lease order does not matter. */
    interface SimulatedAnswers {
        Label answer(String name, int labeler, LabelingTask task, Random rng);
    }
}
