package ai.instructflow.workflows.labeling;

import ai.instructflow.workflows.StageInput;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The labeling work around a queue: making its tasks, recording what it accepted, and the simulated labelers. */
@ActivityInterface(namePrefix = "labeling-")
public interface LabelingActivities {

    /**
     * Records a collect stage as collecting and says in how many shards its new queue's tasks want
     * material generated ({@link #generate}, before {@link #open}); 0 when there is none to generate:
     * no queue, its tasks exist, or its kind makes them from nothing generated.
     */
    int plan(StageInput input, String stage);

    /**
     * Generates shard {@code shard} of {@code count} of a new queue's material (a ranking queue's SFT
     * samples) and stores it beside the queue's tasks-to-be; a stored shard is kept.
     */
    void generate(StageInput input, String stage, int shard, int count);

    /**
     * Writes a collect stage's tasks to object storage (or finds the ones an earlier attempt wrote)
     * and returns its queue, with what was already collected; null when the stage needs no labeling:
     * its outputs exist, or the run imports a dataset instead.
     */
    QueueSpec open(StageInput input, String stage);

    /** Stores a chunk of accepted submissions beside the queue's tasks: the record the stage's dataset is built from. */
    void record(String prefix, int chunk, List<LabelBatch> batches);

    /** The built-in suite's simulated people, all in one activity: what runs started before the shards ask for. */
    void simulate(StageInput input, QueueSpec queue);

    /**
     * Shard {@code shard} of {@code count} of the built-in suite's simulated people: its part of the
     * {@link SimulatedSchedule}, leased and submitted through the queue like a person's labels, until
     * that part has its labels or the queue closes.
     */
    void simulateShard(StageInput input, QueueSpec queue, int shard, int count);
}
