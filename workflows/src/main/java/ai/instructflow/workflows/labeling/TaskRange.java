package ai.instructflow.workflows.labeling;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Tasks {@code from} (inclusive) to {@code to} (exclusive) of a queue: where a simulated labeler's lease may look. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TaskRange(int from, int to) {}
