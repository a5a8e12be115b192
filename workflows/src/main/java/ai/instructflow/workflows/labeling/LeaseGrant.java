package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Tasks leased to one labeler until {@code expiresAt} (epoch milliseconds), or none, with the
 * reason; {@code refused} is {@link LabelingQueues#CLOSED} when the queue takes no more labels. An
 * expired lease's unfinished tasks go back to the queue.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseGrant(List<Integer> tasks, long expiresAt, String reason, String refused) {

    public static LeaseGrant none(String reason) {
        return new LeaseGrant(List.of(), 0, reason, null);
    }

    public static LeaseGrant refused(String refusal, String reason) {
        return new LeaseGrant(List.of(), 0, reason, refusal);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return tasks.isEmpty();
    }
}
