package ai.instructflow.activities.stages;

/**
 * What a stage activity heartbeats: the key of its latest checkpoint and that checkpoint's step.
 * Temporal hands it to the next attempt, on whichever worker, which resumes from there.
 */
public record Heartbeat(String checkpointKey, String checkpointSha256, long step) {}
