package ai.instructflow.workflows;

import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingActivities;
import ai.instructflow.workflows.labeling.QueueSpec;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Labeling activities for runs whose collect stages need no queue (their datasets are imported, or
 * reused); with {@link #shards} set, collect-comparisons first has that many shards generated, which
 * are recorded.
 */
final class NoLabeling implements LabelingActivities {

    /** A generate call: which shard, and the task queue it ran on. */
    record Generated(String stage, int shard, int count, String taskQueue) {}

    volatile int shards;
    final List<Generated> generated = Collections.synchronizedList(new ArrayList<>());

    @Override
    public int plan(StageInput input, String stage) {
        return stage.equals(Stage.COLLECT_COMPARISONS.id()) ? shards : 0;
    }

    @Override
    public void generate(StageInput input, String stage, int shard, int count) {
        generated.add(new Generated(stage, shard, count, Activity.getExecutionContext().getInfo().getActivityTaskQueue()));
    }

    @Override
    public QueueSpec open(StageInput input, String stage) {
        return null;
    }

    @Override
    public void record(String prefix, int chunk, List<LabelBatch> batches) {
        throw new AssertionError("no queue was opened");
    }

    @Override
    public void simulate(StageInput input, QueueSpec queue) {
        throw new AssertionError("no queue was opened");
    }

    @Override
    public void simulateShard(StageInput input, QueueSpec queue, int shard, int count) {
        throw new AssertionError("no queue was opened");
    }
}
