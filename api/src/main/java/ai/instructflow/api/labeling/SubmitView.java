package ai.instructflow.api.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A submission's outcome: {@code duplicate} when it had been counted already; and the queue after it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitView(boolean accepted, boolean duplicate, QueueView queue) {}
