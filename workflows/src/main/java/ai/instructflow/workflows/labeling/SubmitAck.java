package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A submission's outcome: {@code duplicate} when these labels were already counted (a retried submit). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SubmitAck(boolean accepted, boolean duplicate) {}
