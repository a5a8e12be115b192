package ai.instructflow.workflows.labeling;

import ai.instructflow.workflows.StageInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The queue's record activity, kept in memory: which chunk held which accepted submissions. */
final class RecordingLabeling implements LabelingActivities {

    record Chunk(String prefix, int number, List<LabelBatch> batches) {}

    final List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());

    @Override
    public int plan(StageInput input, String stage) {
        throw new AssertionError("the queue plans no other");
    }

    @Override
    public void generate(StageInput input, String stage, int shard, int count) {
        throw new AssertionError("the queue generates nothing");
    }

    @Override
    public QueueSpec open(StageInput input, String stage) {
        throw new AssertionError("the queue never opens another");
    }

    @Override
    public void record(String prefix, int chunk, List<LabelBatch> batches) {
        chunks.add(new Chunk(prefix, chunk, List.copyOf(batches)));
    }

    @Override
    public void simulate(StageInput input, QueueSpec queue) {
        throw new AssertionError("no simulated labelers here");
    }

    @Override
    public void simulateShard(StageInput input, QueueSpec queue, int shard, int count) {
        throw new AssertionError("no simulated labelers here");
    }

    List<Integer> recordedTasks() {
        synchronized (chunks) {
            return chunks.stream().flatMap(c -> c.batches().stream()).flatMap(b -> b.tasks().stream()).toList();
        }
    }
}
