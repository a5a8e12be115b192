package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Tasks leased to one labeler until {@code expiresAt} (epoch milliseconds), or none, with the
 * reason; {@code refused} is {@link LabelingQueues#CLOSED} when the queue takes no more labels.
 * {@code heldByOthers}, with none: a task still wants this labeler's label but others' leases hold
 * it, so asking again later may give it (false: nothing there is left for them). An
 * expired lease's unfinished tasks go back to the queue. As the lease update's answer it carries
 * {@code queue}, the queue just after it as the labeler sees it (their own count only), so a caller
 * needs no query; the leases a queue holds carry none.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseGrant(List<Integer> tasks, long expiresAt, String reason, String refused, boolean heldByOthers,
                         QueueState queue) {

    public LeaseGrant(List<Integer> tasks, long expiresAt) {
        this(tasks, expiresAt, null, null, false, null);
    }

    /** This answer with the queue as it stands after it. */
    public LeaseGrant with(QueueState state) {
        return new LeaseGrant(tasks, expiresAt, reason, refused, heldByOthers, state);
    }

    public static LeaseGrant none(String reason, boolean heldByOthers) {
        return new LeaseGrant(List.of(), 0, reason, null, heldByOthers, null);
    }

    public static LeaseGrant refused(String refusal, String reason) {
        return new LeaseGrant(List.of(), 0, reason, refusal, false, null);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return tasks.isEmpty();
    }
}
