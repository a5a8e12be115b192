package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.MetricValues;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.trainer.dpo.DpoTrainer;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Steps 2 and 3 at once with {@code "method": "dpo"} (Rafailov et al. 2023): a copy of the SFT policy
 * trained on the labelers' rankings against the frozen SFT model, in place of the reward model and PPO.
 * Its output is a policy like PPO's, which the evaluation judges against SFT the same way.
 */
public final class DpoStage implements TrainingStage<DpoTrainer.Result> {

    private static final String CHART = "dpo";
    private static final String CHART_TITLE = "DPO · loss and implicit reward accuracy";

    public static final StageMetric LOSS = SharedMetrics.LOSS.chart(CHART, CHART_TITLE);
    public static final StageMetric ACCURACY = StageMetric.of("accuracy", "train accuracy").percent().highlight()
            .chart(CHART, CHART_TITLE).gauge("instructflow_dpo_accuracy",
                    "How often DPO's implicit reward orders a pair of the latest training batch as the labeler did");
    public static final StageMetric HELDOUT_ACCURACY = StageMetric.of("heldout_accuracy", "held-out accuracy").percent()
            .highlight().chart(CHART, CHART_TITLE).summary("dpo_accuracy", "DPO implicit reward held-out accuracy")
            .gauge("instructflow_dpo_heldout_accuracy",
                    "DPO's implicit reward's pairwise accuracy on held-out comparisons at the latest evaluation");
    public static final StageMetric REWARD_MARGIN = StageMetric.of("reward_margin", "reward margin").highlight()
            .chart("dpo-margin", "DPO · implicit reward margin, chosen - rejected")
            .gauge("instructflow_dpo_reward_margin",
                    "Mean beta * log-ratio margin of the chosen over the rejected response in the latest batch");
    public static final StageMetric LOG_RATIO = StageMetric.of("log_ratio", "log-ratio to SFT")
            .chart("dpo-log-ratio", "DPO · log(pi / pi_SFT) of the ranked responses (nats)")
            .gauge("instructflow_dpo_log_ratio",
                    "Mean log-probability ratio of the policy to the SFT model on the latest batch's responses, nats");

    @Override
    public Stage stage() {
        return Stage.DPO;
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        return PipelineStage.settingsOf("seed", spec.seed(), "dpo", spec.dpo());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(LOSS, ACCURACY, HELDOUT_ACCURACY, REWARD_MARGIN, LOG_RATIO, SharedMetrics.LR,
                SharedMetrics.GRAD_NORM, SharedMetrics.SKIPPED_STEPS, SharedMetrics.RESUMED_FROM_STEP);
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
            return new StageRunner.Output(List.of(work.saveModel(prefix(), policy), attempt.saveMetrics()),
                    new MetricValues().put(LOSS, r.trainLoss()).put(ACCURACY, r.trainAccuracy())
                            .put(HELDOUT_ACCURACY, r.heldOutAccuracy()).put(REWARD_MARGIN, r.rewardMargin())
                            .put(LOG_RATIO, r.logRatio())
                            .put(SharedMetrics.RESUMED_FROM_STEP, attempt.resumedFromStep()).map());
        });
    }

    @Override
    public <T> T train(StageWork work, Checkpoint resume, TrainingListener listener,
                       BiFunction<DpoTrainer.Result, GPT, T> then) {
        Recipe recipe = work.recipe();
        Recipe.Rankings rankings = work.rankings();
        try (GPT sft = work.model(Stage.SFT, "policy/"); GPT policy = recipe.policy(sft)) {
            return then.apply(recipe.dpo(policy, sft, rankings, resume, listener), policy);
        }
    }
}
