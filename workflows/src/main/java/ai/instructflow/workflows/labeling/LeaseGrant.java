package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Tasks leased to one labeler until {@code expiresAt} (epoch milliseconds), or none, with the
 * reason. An expired lease's unfinished tasks go back to the queue.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseGrant(List<Integer> tasks, long expiresAt, String reason) {

    public static LeaseGrant none(String reason) {
        return new LeaseGrant(List.of(), 0, reason);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return tasks.isEmpty();
    }
}
