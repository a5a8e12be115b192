package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Step 3 (InstructGPT section 3.5, "RL"): PPO of a copy of the SFT policy against the reward model,
 * watched by the held-out simulated labelers as it goes; its reward-hacking guard may stop it early and
 * hand on the best policy it kept, recorded as the manifest's {@code early_stop}.
 */
public final class PpoStage implements TrainingStage<PpoTrainer.Result> {

    public static final StageMetric REWARD = StageMetric.of("reward", "reward").highlight().summary("ppo_reward", "PPO reward")
            .chart("reward", "PPO · reward (RM score)")
            .gauge("instructflow_ppo_reward", "Mean reward model score of the latest rollouts");
    public static final StageMetric KL = StageMetric.of("kl", "KL").highlight().summary("ppo_kl", "PPO KL")
            .chart("kl", "PPO · KL to the SFT policy (nats)")
            .gauge("instructflow_ppo_kl", "Mean KL of the policy to the SFT reference on the latest rollouts, nats per response");
    public static final StageMetric HELDOUT_SCORE = StageMetric.of("heldout_score", "held-out score").highlight()
            .chart("heldout-score", "PPO · held-out labelers’ score").gauge("instructflow_ppo_heldout_score",
                    "Held-out simulated labelers' mean score of the latest rollouts (falls when PPO games the reward model)");
    public static final StageMetric WINDOW_KL = StageMetric.of("window_kl", "window KL")
            .chart("kl", "PPO · KL to the SFT policy (nats)").gauge("instructflow_ppo_window_kl",
                    "Mean KL to the SFT reference over the reward-hacking guard's window of iterations, nats per response");
    public static final StageMetric BETA = StageMetric.of("beta", "KL coefficient")
            .gauge("instructflow_ppo_kl_coefficient", "Coefficient of the per-token KL penalty");
    public static final StageMetric ENTROPY = StageMetric.of("entropy", "entropy").chart("entropy", "PPO · policy entropy")
            .gauge("instructflow_ppo_entropy", "Mean per-token entropy of the policy in the latest update");
    public static final StageMetric RESPONSE_LENGTH = StageMetric.of("response_length", "length")
            .chart("response-length", "PPO · response length (tokens)")
            .gauge("instructflow_ppo_response_length_tokens", "Mean length of the latest rollouts' responses, tokens");
    public static final StageMetric APPROX_KL = StageMetric.of("approx_kl", "approx. KL")
            .chart("ppo-update", "PPO · update size")
            .gauge("instructflow_ppo_approx_kl", "Approximate KL between the policy before and after the latest update");
    public static final StageMetric CLIP_FRACTION = StageMetric.of("clip_fraction", "clip fraction")
            .chart("ppo-update", "PPO · update size").gauge("instructflow_ppo_clip_fraction",
                    "Share of tokens whose probability ratio was clipped in the latest update");
    public static final StageMetric POLICY_LOSS = StageMetric.of("policy_loss", "policy loss")
            .gauge("instructflow_ppo_policy_loss", "Clipped policy loss of the latest update");
    public static final StageMetric VALUE_LOSS = StageMetric.of("value_loss", "value loss")
            .gauge("instructflow_ppo_value_loss", "Clipped value loss of the latest update");
    public static final StageMetric PTX_LOSS = StageMetric.of("ptx_loss", "pretraining loss")
            .gauge("instructflow_ppo_ptx_loss", "Pretraining-mix (PPO-ptx) loss of the latest update");
    public static final StageMetric BEST_HELDOUT_SCORE = StageMetric.of("best_heldout_score", "best held-out score")
            .chart("heldout-score", "PPO · held-out labelers’ score").gauge("instructflow_ppo_best_heldout_score",
                    "Best trailing-window held-out score so far: the policy the reward-hacking guard would hand on");
    public static final StageMetric HACKING_STREAK = StageMetric.of("hacking_streak", "hacking streak")
            .gauge("instructflow_ppo_hacking_streak",
                    "Iterations in a row whose window shows reward rising while the held-out score falls below its best");
    public static final StageMetric STOPPED_EARLY = StageMetric.of("stopped_early", "stopped early")
            .gauge("instructflow_ppo_stopped_early", "1 once the reward-hacking guard has stopped PPO");
    private static final String TIME_CHART = "ppo-time";
    private static final String TIME_CHART_TITLE = "PPO · seconds per iteration";
    public static final StageMetric GENERATE_SECONDS = StageMetric.of("generate_seconds", "sampling s")
            .chart(TIME_CHART, TIME_CHART_TITLE);
    public static final StageMetric SCORE_SECONDS = StageMetric.of("score_seconds", "scoring s")
            .chart(TIME_CHART, TIME_CHART_TITLE);
    public static final StageMetric UPDATE_SECONDS = StageMetric.of("update_seconds", "update s")
            .chart(TIME_CHART, TIME_CHART_TITLE);
    public static final StageMetric GENERATION_SHARE = StageMetric.of("generation_share", "sampling share").percent()
            .gauge("instructflow_ppo_generation_share", "Share of the latest PPO iteration spent sampling the rollouts");
    public static final StageMetric HANDED_ON_ITERATION = StageMetric.of("handed_on_iteration", "handed-on iteration");
    public static final StageMetric INITIAL_RATIO_ERROR = StageMetric.of("initial_ratio_error", "initial ratio error");

    @Override
    public Stage stage() {
        return Stage.PPO;
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        // the held-out group that scores the rollouts as they come
        return PipelineStage.settingsOf("seed", spec.seed(), "ppo", spec.ppo(), "prompts", spec.prompts(),
                "labelers", spec.comparisons().labelers());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(REWARD, HELDOUT_SCORE, BEST_HELDOUT_SCORE, KL, WINDOW_KL, BETA, ENTROPY, RESPONSE_LENGTH, APPROX_KL,
                CLIP_FRACTION, POLICY_LOSS, VALUE_LOSS, PTX_LOSS, HACKING_STREAK, STOPPED_EARLY, HANDED_ON_ITERATION,
                INITIAL_RATIO_ERROR, GENERATE_SECONDS, SCORE_SECONDS, UPDATE_SECONDS, GENERATION_SHARE,
                SharedMetrics.RESUMED_FROM_STEP);
    }

    @Override
    public String prefix() {
        return "policy/";
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        StageAttempt attempt = work.attempt();
        return train(work, attempt.resumeCheckpoint(), attempt, (r, policy) -> {
            attempt.throwIfCancelled();
            Map<String, Double> last = new LinkedHashMap<>(r.history().isEmpty() ? Map.of() : r.history().get(r.history().size() - 1));
            last.put(SharedMetrics.RESUMED_FROM_STEP.key(), (double) attempt.resumedFromStep());
            return new StageRunner.Output(List.of(work.saveModel(prefix(), policy), attempt.saveMetrics()), last,
                    r.earlyStop());
        });
    }

    @Override
    public <T> T train(StageWork work, Checkpoint resume, TrainingListener listener,
                       BiFunction<PpoTrainer.Result, GPT, T> then) {
        Recipe recipe = work.recipe();
        double temperature = work.calibration().labelerTemperature();
        try (GPT sft = work.model(Stage.SFT, "policy/");
             GPT rm = work.model(Stage.RM, "rm/");
             GPT policy = recipe.policy(sft);
             GPT value = recipe.valueModel(rm)) {
            return then.apply(recipe.ppo(policy, value, sft, rm, temperature, work.random(), resume, listener), policy);
        }
    }
}
