package ai.instructflow.activities.registry;

import ai.instructflow.workflows.RunStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A run's entry in the registry ({@code runs/<id>/run.json}). {@code startedAt} is the start of the
 * latest execution (a resume starts a new one); {@code executions} counts them, and
 * {@code earlierWallSeconds} / {@code earlierActivitySeconds} carry the wall time and the time in
 * stages of the executions before the latest, so a resumed run's timing is the whole run's.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String id, String name, String status, String createdAt, String startedAt, String finishedAt,
                        String failedStage, String error, int executions, double earlierWallSeconds,
                        double earlierActivitySeconds) {

    /** A run's first execution: nothing earlier to count. */
    public RunRecord(String id, String name, String status, String createdAt, String startedAt, String finishedAt,
                     String failedStage, String error, int executions) {
        this(id, name, status, createdAt, startedAt, finishedAt, failedStage, error, executions, 0, 0);
    }

    public RunRecord withStatus(String status, String finishedAt, String failedStage, String error) {
        return new RunRecord(id, name, status, createdAt, startedAt, finishedAt, failedStage, error, executions,
                earlierWallSeconds, earlierActivitySeconds);
    }

    /** As listed when the registry says running but the workflow service has no record of the run. */
    public RunRecord interrupted() {
        return withStatus(RunStatus.INTERRUPTED, null, null, "the Temporal service has no record of this run; resume it");
    }

    /** A new execution from {@code at}, after one that took {@code wallSeconds}, {@code activitySeconds} of them in stages. */
    public RunRecord started(String status, String at, double wallSeconds, double activitySeconds) {
        return new RunRecord(id, name, status, createdAt, at, null, null, null, executions + 1,
                earlierWallSeconds + wallSeconds, earlierActivitySeconds + activitySeconds);
    }
}
