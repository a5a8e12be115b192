package ai.instructflow.api.stages;

import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.activities.stages.PipelineStage;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** A stage as clients learn it: its name, whether it runs a model, and every metric it reports. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageInfo(String stage, boolean usesModel, List<StageMetric> metrics) {

    public static StageInfo of(PipelineStage s) {
        return new StageInfo(s.stage().id(), s.stage().usesModel(), s.metrics());
    }
}
