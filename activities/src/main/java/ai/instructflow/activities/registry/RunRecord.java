package ai.instructflow.activities.registry;

import ai.instructflow.workflows.RunStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A run's entry in the registry ({@code runs/<id>/run.json}). {@code startedAt} is the start of the
 * latest execution (a resume starts a new one); {@code executions} counts them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String id, String name, String status, String createdAt, String startedAt, String finishedAt,
                        String failedStage, String error, int executions) {

    public RunRecord withStatus(String status, String finishedAt, String failedStage, String error) {
        return new RunRecord(id, name, status, createdAt, startedAt, finishedAt, failedStage, error, executions);
    }

    /** As listed when the registry says running but the workflow service has no record of the run. */
    public RunRecord interrupted() {
        return withStatus(RunStatus.INTERRUPTED, null, null, "the Temporal service has no record of this run; resume it");
    }

    public RunRecord started(String status, String at) {
        return new RunRecord(id, name, status, createdAt, at, null, null, null, executions + 1);
    }
}
