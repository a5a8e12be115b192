package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/** The workflow's answer to the state query: the run's status, its current stage and each stage's latest progress. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunState(String status, String stage, Map<String, StageProgress> stages) {}
