package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.MetricValues;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.TrainingListener;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Step 1's training (InstructGPT section 3.5, "SFT"): the base model fine-tuned on the demonstrations. */
public final class SftStage implements TrainingStage<SftTrainer.Result> {

    public static final StageMetric LOSS = SharedMetrics.LOSS.chart("sft-loss", "SFT · loss");
    public static final StageMetric EVAL_LOSS = StageMetric.of("eval_loss", "eval loss").highlight()
            .chart("sft-loss", "SFT · loss").summary("sft_eval_loss", "SFT eval loss")
            .gauge("instructflow_training_eval_loss", "SFT loss on held-out demonstrations at the latest evaluation");
    public static final StageMetric TRAIN_LOSS = StageMetric.of("train_loss", "loss").highlight();

    @Override
    public Stage stage() {
        return Stage.SFT;
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        return PipelineStage.settingsOf("seed", spec.seed(), "preset", spec.preset(),
                "base_checkpoint", spec.baseCheckpoint(), "base_model", spec.baseModel(),
                "prompt_format", spec.promptFormat(), "sft", spec.sft());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(LOSS, EVAL_LOSS, SharedMetrics.LR, SharedMetrics.GRAD_NORM, SharedMetrics.TOKENS_PER_S,
                SharedMetrics.SKIPPED_STEPS, TRAIN_LOSS, SharedMetrics.RESUMED_FROM_STEP);
    }

    @Override
    public String prefix() {
        return "policy/";
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        StageAttempt attempt = work.attempt();
        return train(work, attempt.resumeCheckpoint(), attempt, (r, model) -> {
            attempt.throwIfCancelled();
            return new StageRunner.Output(List.of(work.saveModel(prefix(), model), attempt.saveMetrics()),
                    new MetricValues().put(TRAIN_LOSS, r.trainLoss()).put(EVAL_LOSS, r.evalLoss())
                            .put(SharedMetrics.TOKENS_PER_S, r.tokensPerSecond())
                            .put(SharedMetrics.RESUMED_FROM_STEP, attempt.resumedFromStep()).map());
        });
    }

    @Override
    public <T> T train(StageWork work, Checkpoint resume, TrainingListener listener,
                       BiFunction<SftTrainer.Result, GPT, T> then) {
        Recipe recipe = work.recipe();
        Recipe.Demonstrations data = new Recipe.Demonstrations(work.demonstrations("train"), work.demonstrations("eval"));
        try (GPT model = baseModel(work)) {
            return then.apply(recipe.sft(model, data, resume, listener), model);
        }
    }

    private static GPT baseModel(StageWork work) {
        String key = work.in().spec().baseCheckpoint();
        if (key == null) {
            return work.recipe().baseModel();
        }
        return work.userObject("base_checkpoint", key, Checkpoint::read).model("policy/", work.recipe().device());
    }
}
