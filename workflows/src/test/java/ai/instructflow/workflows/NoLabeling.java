package ai.instructflow.workflows;

import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.workflows.labeling.LabelingActivities;
import ai.instructflow.workflows.labeling.QueueSpec;
import java.util.List;

/** Labeling activities for runs whose collect stages need no queue (their datasets are imported, or reused). */
final class NoLabeling implements LabelingActivities {

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
}
