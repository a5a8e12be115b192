package ai.instructflow.api.runs;

import ai.instructflow.activities.stages.Heartbeat;
import ai.instructflow.workflows.StageProgress;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.converter.DataConverter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A running run's stages as their activities last heartbeated them ({@link Heartbeat#progress}),
 * from Temporal's description of the run. The service answers a describe from its own state: no
 * worker is asked and nothing replays, however long the run's history.
 */
final class LiveProgress {

    private LiveProgress() {}

    /** Stage id to progress; empty when Temporal has no such run (its service restarted without it). */
    static Optional<Map<String, StageProgress>> of(WorkflowClient client, String runId) {
        var run = client.newUntypedWorkflowStub(runId);
        DataConverter converter = client.getOptions().getDataConverter();
        Map<String, StageProgress> out = new LinkedHashMap<>();
        try {
            for (PendingActivityInfo activity : run.describe().getRawDescription().getPendingActivitiesList()) {
                // the labeling activities heartbeat nothing; only a stage's heartbeat carries progress
                if (!activity.hasHeartbeatDetails()) {
                    continue;
                }
                Heartbeat beat = converter.fromPayloads(0, Optional.of(activity.getHeartbeatDetails()),
                        Heartbeat.class, Heartbeat.class);
                if (beat != null && beat.progress() != null) {
                    out.put(beat.progress().stage(), beat.progress());
                }
            }
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
