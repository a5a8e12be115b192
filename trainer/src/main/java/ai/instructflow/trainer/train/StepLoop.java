package ai.instructflow.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GradMode;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.optim.CosineSchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The supervised loop SFT and the reward model share: restore from a checkpoint, then per step poll
 * cancellation, seed the engine from (seed, step) for dropout, run the caller's forward and
 * backward, skip a step whose loss or gradient overflowed (and stop when that persists),
 * update with the scheduled learning rate, evaluate and checkpoint at
 * their intervals, and report to the listener.
 */
public final class StepLoop {

    /** {@code prefix} names the trained model inside checkpoints, e.g. "policy/" or "rm/". */
    public record Settings(String stage, String prefix, long steps, CosineSchedule schedule, AdamWConfig adam,
                           int evalEvery, int checkpointEvery, long seed) {}

    /** Forward and backward on the batch of {@code step}; returns that step's metrics, "loss" among them. */
    public interface Step {
        Map<String, Double> forwardBackward(long step, GradientCollector gc);
    }

    private StepLoop() {}

    /** Trains {@code model} in place; returns the last step's metrics merged with the last evaluation's. */
    public static Map<String, Double> run(Settings s, GPT model, Checkpoint resume, TrainingListener listener,
                                          Step step, Supplier<Map<String, Double>> eval) {
        GradMode.offOnThisThread();
        AdamW optimizer = new AdamW(model, s.adam());
        long start = 0;
        if (resume != null) {
            resume.loadModel(s.prefix(), model);
            resume.restoreOptimizer(s.prefix(), optimizer);
            start = resume.getLong("step");
        }
        Map<String, Double> last = new LinkedHashMap<>();
        Map<String, Double> lastEval = Map.of();
        long skipped = 0;
        int consecutiveSkips = 0;
        model.setTrainable(true);
        try {
            for (long i = start; i < s.steps(); i++) {
                if (listener.cancelled()) {
                    listener.onCheckpoint(s.stage(), i, checkpoint(s, model, optimizer, i));
                    throw new CancellationException(s.stage() + " cancelled at step " + i);
                }
                Engine.getInstance().setRandomSeed((int) (s.seed() * 31 + i));
                Map<String, Double> metrics;
                try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    metrics = new LinkedHashMap<>(step.forwardBackward(i, gc));
                }
                float lr = s.schedule().at(i);
                boolean finiteLoss = Double.isFinite(metrics.get("loss"));
                float norm = finiteLoss ? optimizer.update(lr) : Float.NaN;
                if (Float.isFinite(norm)) {
                    consecutiveSkips = 0;
                } else {
                    // a rare overflow (a loss spike) is skipped; bad weights fail every step and stop the loop
                    if (!finiteLoss) {
                        optimizer.clearGradients();
                    }
                    skipped++;
                    if (++consecutiveSkips > DivergenceException.MAX_CONSECUTIVE_SKIPS) {
                        throw DivergenceException.persisting(s.stage(), i, metrics.get("loss"), norm);
                    }
                }
                metrics.put("lr", (double) lr);
                metrics.put("grad_norm", (double) norm);
                metrics.put("skipped_steps", (double) skipped);
                boolean end = i + 1 == s.steps();
                if (eval != null && (end || (s.evalEvery() > 0 && (i + 1) % s.evalEvery() == 0))) {
                    lastEval = eval.get();
                    metrics.putAll(lastEval);
                }
                listener.onStep(s.stage(), i + 1, s.steps(), metrics);
                if (s.checkpointEvery() > 0 && (i + 1) % s.checkpointEvery() == 0 && !end) {
                    listener.onCheckpoint(s.stage(), i + 1, checkpoint(s, model, optimizer, i + 1));
                }
                last = metrics;
            }
        } finally {
            model.setTrainable(false);
        }
        Map<String, Double> out = new LinkedHashMap<>(last);
        out.putAll(lastEval);
        return out;
    }

    private static Checkpoint checkpoint(Settings s, GPT model, AdamW optimizer, long step) {
        return new Checkpoint().put("stage", s.stage()).put("step", step).put("seed", s.seed())
                .putModel(s.prefix(), model).putOptimizer(s.prefix(), optimizer);
    }
}
