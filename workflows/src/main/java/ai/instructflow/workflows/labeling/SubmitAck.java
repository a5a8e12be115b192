package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A submission's outcome: {@code duplicate} when these labels were already counted (a retried
 * submit); {@code refused} ({@link LabelingQueues#CLOSED} or {@link LabelingQueues#NOT_LEASED}) with
 * the reason when they were not counted.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitAck(boolean accepted, boolean duplicate, String refused, String reason) {

    public static SubmitAck refused(String refusal, String reason) {
        return new SubmitAck(false, false, refusal, reason);
    }
}
