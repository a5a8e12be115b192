package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * A stage's live progress as its activity reports it: step of total (0 of 0 before training
 * starts), the latest metrics, the attempt and the step it resumed from.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageProgress(String stage, String status, long step, long total, Map<String, Double> metrics,
                            int attempt, long resumedFromStep) {}
