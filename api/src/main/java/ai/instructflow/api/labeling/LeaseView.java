package ai.instructflow.api.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The task leased to the caller, or null with the reason there is none right now, and the queue. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseView(Task task, String leaseExpiresAt, String reason, QueueView queue) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Task(int id, String prompt, List<String> responses) {}
}
