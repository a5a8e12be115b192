package ai.instructflow.trainer.sft;

import ai.djl.ndarray.NDScope;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.optim.CosineSchedule;
import ai.instructflow.trainer.train.BatchOrder;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.StepLoop;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning on demonstrations (InstructGPT section 3.5, "SFT"): response-only
 * cross-entropy, AdamW, cosine decay to 10% of the peak learning rate, gradient clipping.
 */
public final class SftTrainer {

    public static final String STAGE = "sft";

    public record Result(long steps, double trainLoss, double evalLoss, double tokensPerSecond) {}

    private final SftConfig config;
    private final int pad;

    public SftTrainer(SftConfig config, int pad) {
        this.config = config;
        this.pad = pad;
    }

    /**
     * Trains {@code model} in place. With a checkpoint it first restores weights, optimizer and step
     * from it and continues from there.
     */
    public Result train(GPT model, List<Demonstration> data, List<Demonstration> eval,
                        Checkpoint resume, TrainingListener listener) {
        StepLoop.Settings settings = new StepLoop.Settings(STAGE, "policy/", config.steps(),
                new CosineSchedule(config.lr(), config.floorFraction(), config.warmupSteps(), config.steps()),
                config.adam(), config.evalEvery(), config.checkpointEvery(), config.seed());
        BatchOrder order = new BatchOrder(data.size(), config.seed());
        long[] tokens = {0};
        long began = System.nanoTime();
        StepLoop.Step step = (i, gc) -> {
            List<Demonstration> batch = BatchOrder.pick(data, order.batch(i, config.batchSize()));
            ResponseLoss.Value value = ResponseLoss.of(model, batch, pad, true);
            gc.backward(value.loss());
            tokens[0] += value.tokens();
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", (double) value.loss().getFloat());
            metrics.put("tokens_per_s", tokens[0] / ((System.nanoTime() - began) / 1e9));
            return metrics;
        };
        Map<String, Double> last = StepLoop.run(settings, model, resume, listener, step,
                eval.isEmpty() ? null : () -> Map.of("eval_loss", evalLoss(model, eval)));
        return new Result(config.steps(), last.getOrDefault("loss", Double.NaN),
                last.getOrDefault("eval_loss", Double.NaN), last.getOrDefault("tokens_per_s", Double.NaN));
    }

    public double evalLoss(GPT model, List<Demonstration> eval) {
        double total = 0;
        long tokens = 0;
        for (int from = 0; from < eval.size(); from += config.batchSize()) {
            List<Demonstration> batch = eval.subList(from, Math.min(eval.size(), from + config.batchSize()));
            try (NDScope scope = new NDScope()) {
                ResponseLoss.Value value = ResponseLoss.of(model, batch, pad, false);
                total += value.loss().getFloat() * value.tokens();
                tokens += value.tokens();
            }
        }
        return total / Math.max(1, tokens);
    }
}
