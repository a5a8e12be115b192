package ai.instructflow.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.CosineSchedule;
import ai.instructflow.trainer.train.BatchOrder;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.RankingLoss;
import ai.instructflow.trainer.train.ResponseLogProbs;
import ai.instructflow.trainer.train.StepLoop;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct preference optimisation (Rafailov et al. 2023) beside the reward model and PPO: the policy,
 * a copy of the SFT model, is trained on the labelers' rankings with {@link DpoLoss} against the
 * frozen SFT model as reference. No reward model is trained and nothing is sampled; the loop is the
 * one SFT and the reward model share ({@link StepLoop}: schedule, AdamW, skipped overflows,
 * checkpoints and resume), one ranking per batch element as in the reward model.
 */
public final class DpoTrainer {

    public static final String STAGE = "dpo";
    /** Held-out responses scored per forward pass. */
    private static final int CHUNK = 64;

    /**
     * @param heldOutAccuracy how often the implicit reward orders a held-out pair as the labeler did, ties half
     */
    public record Result(long steps, double trainLoss, double trainAccuracy, double rewardMargin, double logRatio,
                         double heldOutAccuracy) {}

    private final DpoConfig config;
    private final int pad;

    public DpoTrainer(DpoConfig config, int pad) {
        this.config = config;
        this.pad = pad;
    }

    /**
     * Trains {@code policy} in place against {@code reference}, which is only read. With a checkpoint
     * it first restores the policy's weights, its optimizer and the step, and continues from there.
     */
    public Result train(GPT policy, GPT reference, List<Comparison> data, List<Comparison> heldOut,
                        Checkpoint resume, TrainingListener listener) {
        StepLoop.Settings settings = new StepLoop.Settings(STAGE, "policy/", config.steps(),
                new CosineSchedule(config.lr(), config.floorFraction(), config.warmupSteps(), config.steps()),
                config.adam(), config.evalEvery(), config.checkpointEvery(), config.seed());
        BatchOrder order = new BatchOrder(data.size(), config.seed());
        ReferenceLogProbs trainReference = new ReferenceLogProbs(reference, data, pad);
        ReferenceLogProbs heldOutReference = new ReferenceLogProbs(reference, heldOut, pad);
        StepLoop.Step step = (i, gc) -> {
            int[] picked = order.batch(i, config.batchSize());
            List<Comparison> batch = BatchOrder.pick(data, picked);
            NDArray ref = policy.manager().create(trainReference.of(picked));
            NDArray logp = ResponseLogProbs.of(policy, RankingLoss.Responses.of(batch).sequences(), pad, true)
                    .perSequence();
            DpoLoss.Value value = DpoLoss.of(logp, ref, config.beta(), batch);
            gc.backward(value.loss());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", (double) value.loss().getFloat());
            metrics.put("accuracy", (double) value.pairs().accuracy().getFloat());
            metrics.put("reward_margin", (double) value.pairs().margin().getFloat());
            metrics.put("log_ratio", (double) value.logRatio().getFloat());
            return metrics;
        };
        Map<String, Double> last = StepLoop.run(settings, policy, resume, listener, step, heldOut.isEmpty() ? null
                : () -> Map.of("heldout_accuracy", heldOutAccuracy(policy, heldOut, heldOutReference)));
        return new Result(config.steps(), last.getOrDefault("loss", Double.NaN),
                last.getOrDefault("accuracy", Double.NaN), last.getOrDefault("reward_margin", Double.NaN),
                last.getOrDefault("log_ratio", Double.NaN), last.getOrDefault("heldout_accuracy", Double.NaN));
    }

    /** The implicit reward as a reward model: its pairwise accuracy on rankings it was not trained on. */
    private double heldOutAccuracy(GPT policy, List<Comparison> heldOut, ReferenceLogProbs reference) {
        float[] logp = ResponseLogProbs.sums(policy, RankingLoss.Responses.of(heldOut).sequences(), pad, CHUNK);
        float[] ref = reference.all();
        float[] rewards = new float[logp.length];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = config.beta() * (logp[i] - ref[i]);
        }
        return RankingLoss.accuracy(rewards, heldOut);
    }
}
