package ai.instructflow.activities.stages;

import ai.instructflow.workflows.StageProgress;

/**
 * What a stage activity heartbeats: the key of its latest checkpoint and that checkpoint's step,
 * which Temporal hands to the next attempt, on whichever worker, to resume from; and the stage's
 * live progress, which the API reads from the service (a describe of the run) for the run's view.
 * Heartbeats are kept in the service's state of the pending activity, not in the run's history, so
 * reporting progress every second neither grows the history nor wakes the workflow.
 */
public record Heartbeat(String checkpointKey, String checkpointSha256, long step, StageProgress progress) {

    /** No checkpoint yet. */
    static Heartbeat of(StageProgress progress) {
        return new Heartbeat(null, null, 0, progress);
    }

    Heartbeat with(StageProgress latest) {
        return new Heartbeat(checkpointKey, checkpointSha256, step, latest);
    }
}
