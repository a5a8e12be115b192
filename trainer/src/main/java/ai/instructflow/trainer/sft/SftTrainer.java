package ai.instructflow.trainer.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.optim.CosineSchedule;
import ai.instructflow.trainer.train.BatchOrder;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Supervised fine-tuning on demonstrations (InstructGPT section 3.5, "SFT"): response-only
 * cross-entropy, AdamW, cosine decay to 10% of the peak learning rate, gradient clipping.
 */
public final class SftTrainer {

    public static final String STAGE = "sft";

    public record Config(int steps, int batchSize, float lr, int warmupSteps, float floorFraction,
                         AdamW.Config adam, int evalEvery, int checkpointEvery, long seed) {
        public static Config defaults() {
            return new Config(600, 32, 2e-3f, 30, 0.1f, AdamW.Config.defaults(), 100, 100, 1);
        }

        public Config withSteps(int n) {
            return new Config(n, batchSize, lr, warmupSteps, floorFraction, adam, evalEvery, checkpointEvery, seed);
        }
    }

    public record Result(long steps, double trainLoss, double evalLoss, double tokensPerSecond) {}

    private final Config config;
    private final int pad;

    public SftTrainer(Config config, int pad) {
        this.config = config;
        this.pad = pad;
    }

    /**
     * Trains {@code model} in place. With a checkpoint it first restores weights, optimizer and step
     * from it and continues from there.
     */
    public Result train(GPT model, List<Demonstration> data, List<Demonstration> eval,
                        Checkpoint resume, TrainingListener listener) {
        AdamW optimizer = new AdamW(model, config.adam());
        long start = 0;
        if (resume != null) {
            resume.loadModel("policy/", model);
            resume.restoreOptimizer("policy/", optimizer);
            start = resume.getLong("step");
        }
        CosineSchedule schedule = new CosineSchedule(config.lr(), config.floorFraction(), config.warmupSteps(), config.steps());
        BatchOrder order = new BatchOrder(data.size(), config.seed());
        model.setTrainable(true);
        double loss = Double.NaN;
        double evalLoss = Double.NaN;
        long tokens = 0;
        long began = System.nanoTime();
        for (long step = start; step < config.steps(); step++) {
            if (listener.cancelled()) {
                listener.onCheckpoint(STAGE, step, checkpoint(model, optimizer, step));
                throw new CancellationException("SFT cancelled at step " + step);
            }
            Engine.getInstance().setRandomSeed((int) (config.seed() * 31 + step));
            float lr = schedule.at(step);
            List<Demonstration> batch = BatchOrder.pick(data, order.batch(step, config.batchSize()));
            try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ResponseLoss.Value value = ResponseLoss.of(model, batch, pad, true);
                gc.backward(value.loss());
                loss = value.loss().getFloat();
                tokens += value.tokens();
            }
            float gradNorm = optimizer.update(lr);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", loss);
            metrics.put("lr", (double) lr);
            metrics.put("grad_norm", (double) gradNorm);
            metrics.put("tokens_per_s", tokens / ((System.nanoTime() - began) / 1e9));
            boolean last = step + 1 == config.steps();
            if (!eval.isEmpty() && (last || (config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0))) {
                evalLoss = evalLoss(model, eval);
                metrics.put("eval_loss", evalLoss);
            }
            listener.onStep(STAGE, step + 1, config.steps(), metrics);
            if (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0 && !last) {
                listener.onCheckpoint(STAGE, step + 1, checkpoint(model, optimizer, step + 1));
            }
        }
        model.setTrainable(false);
        double seconds = (System.nanoTime() - began) / 1e9;
        return new Result(config.steps(), loss, evalLoss, tokens / seconds);
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

    private Checkpoint checkpoint(GPT model, AdamW optimizer, long step) {
        return new Checkpoint().put("stage", STAGE).put("step", step).put("seed", config.seed())
                .putModel("policy/", model).putOptimizer("policy/", optimizer);
    }
}
