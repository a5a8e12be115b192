package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A submission's outcome: {@code duplicate} when these labels were already counted (a retried
 * submit); {@code refused} ({@link LabelingQueues#CLOSED} or {@link LabelingQueues#NOT_LEASED}) with
 * the reason when they were not counted; {@code queue}, the queue just after it as the labeler sees
 * it (their own count only), so a caller needs no query. For a duplicate of the labeler's latest
 * counted submission, {@code countedBy} is the id of the update that counted it: a caller that sent
 * that update and never heard back (the queue continued as new meanwhile) knows its own call counted.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitAck(boolean accepted, boolean duplicate, String refused, String reason, QueueState queue,
                        String countedBy) {

    public SubmitAck(boolean accepted, boolean duplicate, String refused, String reason) {
        this(accepted, duplicate, refused, reason, null, null);
    }

    public static SubmitAck refused(String refusal, String reason) {
        return new SubmitAck(false, false, refusal, reason);
    }

    /** A repeat of counted labels; {@code countedBy}: the update that counted them, where known. */
    public static SubmitAck duplicate(String countedBy) {
        return new SubmitAck(false, true, null, null, null, countedBy);
    }

    /** This answer with the queue as it stands after it. */
    public SubmitAck with(QueueState state) {
        return new SubmitAck(accepted, duplicate, refused, reason, state, countedBy);
    }

    /** The answer the caller whose own update counted these labels gets: accepted. */
    public SubmitAck asAccepted() {
        return new SubmitAck(true, false, null, null, queue, null);
    }
}
