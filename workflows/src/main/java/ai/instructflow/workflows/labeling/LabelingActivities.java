package ai.instructflow.workflows.labeling;

import ai.instructflow.workflows.StageInput;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The labeling work around a queue: making its tasks, recording what it accepted, and the simulated labelers. */
@ActivityInterface(namePrefix = "labeling-")
public interface LabelingActivities {

    /**
     * Writes a collect stage's tasks to object storage (or finds the ones an earlier attempt wrote)
     * and returns its queue, with what was already collected; null when the stage needs no labeling:
     * its outputs exist, or the run imports a dataset instead.
     */
    QueueSpec open(StageInput input, String stage);

    /** Stores a chunk of accepted submissions beside the queue's tasks: the record the stage's dataset is built from. */
    void record(String prefix, int chunk, List<LabelBatch> batches);

    /** The built-in suite's simulated people, leasing and submitting through the queue until it closes. */
    void simulate(StageInput input, QueueSpec queue);
}
