package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.MetricValues;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Step 2's training (InstructGPT section 3.5, "RM"): a reward model from the SFT model, on the rankings. */
public final class RewardModelStage implements TrainingStage<RewardModelTrainer.Result> {

    private static final String CHART = "rm";
    private static final String CHART_TITLE = "Reward model · loss and accuracy";

    public static final StageMetric LOSS = SharedMetrics.LOSS.chart(CHART, CHART_TITLE);
    public static final StageMetric ACCURACY = StageMetric.of("accuracy", "train accuracy").percent().highlight()
            .chart(CHART, CHART_TITLE)
            .gauge("instructflow_rm_accuracy", "Reward model pairwise accuracy on the latest training batch");
    public static final StageMetric HELDOUT_ACCURACY = StageMetric.of("heldout_accuracy", "held-out accuracy").percent()
            .highlight().chart(CHART, CHART_TITLE).summary("rm_accuracy", "RM held-out accuracy").gauge("instructflow_rm_heldout_accuracy",
                    "Reward model pairwise accuracy on held-out comparisons at the latest evaluation");
    public static final StageMetric BIAS = StageMetric.of("bias", "bias");

    @Override
    public Stage stage() {
        return Stage.RM;
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        return PipelineStage.settingsOf("seed", spec.seed(), "rm", spec.rm());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(LOSS, ACCURACY, HELDOUT_ACCURACY, SharedMetrics.LR, SharedMetrics.GRAD_NORM,
                SharedMetrics.SKIPPED_STEPS, BIAS, SharedMetrics.RESUMED_FROM_STEP);
    }

    @Override
    public String prefix() {
        return "rm/";
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        StageAttempt attempt = work.attempt();
        return train(work, attempt.resumeCheckpoint(), attempt, (r, rm) -> {
            attempt.throwIfCancelled();
            return new StageRunner.Output(List.of(work.saveModel(prefix(), rm), attempt.saveMetrics()),
                    new MetricValues().put(LOSS, r.trainLoss()).put(ACCURACY, r.trainAccuracy())
                            .put(HELDOUT_ACCURACY, r.heldOutAccuracy()).put(BIAS, r.bias())
                            .put(SharedMetrics.RESUMED_FROM_STEP, attempt.resumedFromStep()).map());
        });
    }

    @Override
    public <T> T train(StageWork work, Checkpoint resume, TrainingListener listener,
                       BiFunction<RewardModelTrainer.Result, GPT, T> then) {
        Recipe recipe = work.recipe();
        Recipe.Rankings rankings = work.rankings();
        try (GPT sft = work.model(Stage.SFT, "policy/"); GPT rm = recipe.rewardModel(sft)) {
            return then.apply(recipe.rm(rm, rankings, work.demonstrations("train"), resume, listener), rm);
        }
    }
}
