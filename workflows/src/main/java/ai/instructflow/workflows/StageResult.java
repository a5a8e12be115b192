package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What a completed stage hands to the next ones: references to its artifacts and a summary of its
 * metrics. {@code reusedFrom} names the run whose outputs were reused (this run's own on resume,
 * another's on a cache hit), or is null when the stage ran.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageResult(String stage, List<Artifact> artifacts, Map<String, Double> metrics, String reusedFrom) {

    public Artifact artifact(String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(stage + " has no artifact '" + name + "'"));
    }
}
