package ai.instructflow.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What a user submits to start a run. Every field but {@code name} is optional: a missing value takes
 * the trainer's default for a laptop (the tiny preset on CPU), and the platform stores the spec with
 * its defaults filled in, so a run's record says exactly what ran.
 *
 * <p>{@code faults} lists stages that fail once, non-retryably, for resilience drills: the run
 * fails at that stage and a resume then goes through.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(String name, String preset, String baseCheckpoint, Long seed, String resources, String labelers,
                      Boolean cache, Demonstrations demonstrations, Sft sft, Comparisons comparisons, Rm rm, Ppo ppo,
                      Evaluation evaluation, Map<String, StageRuntime> runtime, List<String> faults) {

    /** Demonstrations: {@code count} from the simulated demonstrators, or a JSONL {@code dataset} (object key) to import. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Demonstrations(Integer count, String dataset) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sft(Integer steps, Integer batchSize, Double lr, Integer checkpointEvery) {}

    /** {@code prompts} K-way rankings to train on and {@code heldOut} to measure the RM on; {@code labelers} in the pool. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comparisons(Integer prompts, Integer heldOut, Integer k, Integer labelers) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rm(Integer steps, Integer batchSize, Double lr, Integer checkpointEvery) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ppo(Integer iterations, Integer prompts, Integer rolloutBatch, Integer minibatch, Integer epochs,
                      Double policyLr, Double valueLr, Double klCoef, Boolean adaptiveKl, Integer maxNewTokens,
                      Integer checkpointEvery) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(Integer prompts) {}

    /** The queue of a stage: model stages follow {@code resources}, collection stays on CPU. */
    public String taskQueue(Stage stage) {
        return stage.usesModel() ? TaskQueues.of(resources) : TaskQueues.CPU;
    }

    public StageRuntime runtime(Stage stage) {
        StageRuntime given = runtime == null ? null : runtime.get(stage.id());
        return StageRuntime.defaults(stage).overriddenBy(given);
    }

    public boolean injectsFault(Stage stage) {
        return faults != null && faults.contains(stage.id());
    }
}
