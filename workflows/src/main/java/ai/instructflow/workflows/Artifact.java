package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A reference to one object a stage wrote: what workflow history carries instead of the data.
 * {@code count} is the number of records for datasets and 0 for checkpoints.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Artifact(String name, String key, String sha256, long size, long count) {}
