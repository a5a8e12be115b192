package ai.instructflow.workflows;

import ai.instructflow.workflows.labeling.QueueState;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What a stage activity gets: the run, its spec and the results of the stages it reads from, by stage
 * id; for a collect stage whose labels were collected, the final state of its labeling queue.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageInput(String runId, RunSpec spec, Map<String, StageResult> inputs, QueueState labeling) {

    public StageInput withLabeling(QueueState collected) {
        return new StageInput(runId, spec, inputs, collected);
    }

    public StageResult input(Stage stage) {
        StageResult result = inputs.get(stage.id());
        if (result == null) {
            throw new NoSuchElementException("stage input " + stage.id() + " missing");
        }
        return result;
    }
}
