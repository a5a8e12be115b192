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

    /** The built-in suite's simulated people answer the labeling queues. */
    public static final String SIMULATED = "simulated";
    /** People answer the labeling queues, through the API and the labeling pages. */
    public static final String HUMAN = "human";

    /**
     * Demonstrations: {@code count} prompts for the labelers to answer, each by {@code overlap}
     * labelers; collection ends once {@code quota} prompts have their answers or after
     * {@code deadlineMinutes}, and a lease on a prompt lasts {@code leaseMinutes}. Or a JSONL
     * {@code dataset} (object key) to import instead.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Demonstrations(Integer count, String dataset, Integer overlap, Integer quota, Integer deadlineMinutes,
                                 Integer leaseMinutes) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sft(Integer steps, Integer batchSize, Double lr, Integer checkpointEvery) {}

    /**
     * {@code prompts} K-way rankings to train on and {@code heldOut} to measure the RM on;
     * {@code labelers} simulated labelers in the pool; {@code overlap}, {@code quota},
     * {@code deadlineMinutes} and {@code leaseMinutes} as for demonstrations; {@code ties} lets a
     * labeler rank outputs equal. Or a JSONL {@code dataset} (object key) to import instead.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comparisons(Integer prompts, Integer heldOut, Integer k, Integer labelers, String dataset,
                              Integer overlap, Integer quota, Integer deadlineMinutes, Integer leaseMinutes,
                              Boolean ties) {}

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
