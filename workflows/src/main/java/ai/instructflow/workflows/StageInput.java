package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;
import java.util.NoSuchElementException;

/** What a stage activity gets: the run, its spec and the results of the stages it reads from, by stage id. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageInput(String runId, RunSpec spec, Map<String, StageResult> inputs) {

    public StageResult input(Stage stage) {
        StageResult result = inputs.get(stage.id());
        if (result == null) {
            throw new NoSuchElementException("stage input " + stage.id() + " missing");
        }
        return result;
    }
}
