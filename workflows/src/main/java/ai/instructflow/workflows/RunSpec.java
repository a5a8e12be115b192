package ai.instructflow.workflows;

import ai.instructflow.trainer.dpo.DpoConfig;
import ai.instructflow.trainer.pipeline.Method;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * A run's whole configuration, every setting filled in: {@link RunSpecs#resolve} lays what a user
 * submits (any subset, at least {@code name}) over {@link RunSpecs#defaults()}, and the platform
 * stores the result, so a run's record says exactly what ran and a stage's inputs hash covers every
 * setting that shaped it. The training sections are the trainers' own settings records: each
 * setting is defined, documented and defaulted once, where the trainer reads it.
 *
 * @param name           a label for people                                        [required]
 * @param preset         the model shape: tiny or small                           ["tiny"]
 * @param baseCheckpoint object key of a checkpoint to fine-tune instead of fresh weights [none]
 * @param baseModel      key of a stored Hugging Face GPT-2 model ({@code POST /api/v1/models}) every
 *                       stage starts from, with its tokenizer; the preset is then unused [none]
 * @param promptFormat   how prompt and response are joined for a base model: BOS or not, the
 *                       separator after the prompt, whether responses end with EOS
 *                       [PromptFormat.Template.DEFAULT: BOS, "\n", no EOS]
 * @param seed           the run's seed; every stage derives its own from it and the stage's name [1]
 * @param resources      where model stages run: cpu or gpu (the worker pool)     ["cpu"]
 * @param labelers       who answers the labeling queues: simulated or human      ["simulated"]
 * @param cache          reuse another run's outputs of a stage with equal settings and inputs [false]
 * @param method         how the policy learns from the comparisons: ppo (the paper's reward model, then PPO)
 *                       or dpo (DPO on the comparisons against the SFT model, no RM or PPO) ["ppo"]
 * @param prompts        a team's own prompts for every stage that draws prompts   [the built-in suite]
 * @param runtime        per stage: timeout, heartbeat timeout, attempts          [StageRuntime.defaults]
 * @param faults         stages that fail once, non-retryably, for drills; a resume then goes through [none]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(String name, String preset, String baseCheckpoint, String baseModel,
                      PromptFormat.Template promptFormat, long seed, String resources, String labelers,
                      boolean cache, Method method, Prompts prompts, Demonstrations demonstrations, SftConfig sft,
                      Comparisons comparisons, RewardModelConfig rm, PpoConfig ppo, DpoConfig dpo, Evaluation evaluation,
                      Map<String, StageRuntime> runtime, List<String> faults) {

    public RunSpec {
        // runs started before there was a choice carry no method in their workflow's input: they are PPO's
        method = method == null ? Method.PPO : method;
    }

    /** The built-in suite's simulated people answer the labeling queues. */
    public static final String SIMULATED = "simulated";
    /** People answer the labeling queues, through the API and the labeling pages. */
    public static final String HUMAN = "human";

    /**
     * A team's prompts: the object key of a prompts dataset ({@code POST /api/v1/datasets/prompts}),
     * drawn from by the demonstrations, comparisons, PPO and the evaluation; its held-out prompts
     * only ever measure. People answer and judge them: the simulated ones know only the built-in suite.
     *
     * @param dataset object key of a prompts JSONL file
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Prompts(String dataset) {}

    /** Whether the run draws its prompts from a team's file rather than the built-in suite. */
    public boolean teamPrompts() {
        return prompts != null && prompts.dataset() != null;
    }

    /**
     * Step 1's data: {@code count} suite prompts for the labelers to answer, or a JSONL
     * {@code dataset} (object key) to import instead, in which case the queue settings are unset.
     *
     * @param count           training prompts to answer                         [6000]
     * @param dataset         object key of demonstrations to import             [none]
     * @param overlap         labels wanted per prompt, from different labelers  [1]
     * @param quota           collection ends once this many prompts have all their labels [every prompt]
     * @param deadlineMinutes collection ends this long after the queue opens    [a week]
     * @param leaseMinutes    how long a labeler holds a leased prompt           [30]
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Demonstrations(Integer count, String dataset, Integer overlap, Integer quota, Integer deadlineMinutes,
                                 Integer leaseMinutes) {}

    /**
     * Step 2's data: K samples of the SFT model per prompt, ranked by the labelers; or a JSONL
     * {@code dataset} (object key) to import instead.
     *
     * @param prompts         rankings to train on                               [3000]
     * @param heldOut         rankings to measure the RM on                      [300]
     * @param k               responses per ranking (paper: 4 to 9)              [4]
     * @param labelers        simulated labelers in each group (training, held-out) [8]
     * @param dataset         object key of comparisons to import                [none]
     * @param overlap         labels per ranking, so agreement is measured on every run [2]
     * @param quota, deadlineMinutes, leaseMinutes as for demonstrations
     * @param ties            labelers may rank different responses equal       [false]
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comparisons(Integer prompts, Integer heldOut, Integer k, Integer labelers, String dataset,
                              Integer overlap, Integer quota, Integer deadlineMinutes, Integer leaseMinutes,
                              Boolean ties) {}

    /**
     * The verdict: PPO against its SFT start on held-out prompts, judged blind. Simulated judges are
     * the built-in suite's held-out labelers; human judges answer a verdict queue (left, right or tie)
     * and must carry the group on their token and not have labeled this run's training data.
     *
     * @param prompts         held-out prompts both policies answer for the verdict [600]
     * @param judges          who judges: simulated or human                      ["simulated"]
     * @param group           the labeler group human judges come from            ["held-out"]
     * @param overlap         verdicts per prompt, from different judges; 2 or more measures their agreement [1]
     * @param quota, deadlineMinutes, leaseMinutes as for demonstrations
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(int prompts, String judges, String group, Integer overlap, Integer quota,
                             Integer deadlineMinutes, Integer leaseMinutes) {

        /** Whether people judge: the evaluation then opens a verdict queue. */
        public boolean humanJudges() {
            return HUMAN.equals(judges);
        }
    }

    /** The stages this run runs, in run order. */
    public List<Stage> stages() {
        return java.util.Arrays.stream(Stage.values()).filter(s -> s.runsWith(method)).toList();
    }

    /** The stage whose policy the evaluation judges against SFT: PPO's, or DPO's. */
    public Stage policyStage() {
        return switch (method) {
            case PPO -> Stage.PPO;
            case DPO -> Stage.DPO;
        };
    }

    /** The queue of a stage: model stages follow {@code resources}, collection stays on CPU. */
    public String taskQueue(Stage stage) {
        return stage.usesModel() ? modelTaskQueue() : TaskQueues.CPU;
    }

    /** Where work that runs a model goes (the model stages, a queue's sampling shards): the pool of {@code resources}. */
    public String modelTaskQueue() {
        return TaskQueues.of(resources);
    }

    public StageRuntime runtime(Stage stage) {
        StageRuntime given = runtime == null ? null : runtime.get(stage.id());
        return StageRuntime.defaults(stage).overriddenBy(given);
    }

    public boolean injectsFault(Stage stage) {
        return faults != null && faults.contains(stage.id());
    }
}
