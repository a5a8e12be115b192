package ai.instructflow.trainer.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.PackedBatch;
import ai.instructflow.trainer.optim.CosineSchedule;
import ai.instructflow.trainer.train.BatchOrder;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.RankingLoss;
import ai.instructflow.trainer.train.StepLoop;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reward model (InstructGPT section 3.5, "RM"): the SFT model without its unembedding plus a scalar
 * head, read at the last token of prompt + response. Trained on rankings with
 *
 * <pre>loss = -1/C(K,2) * E_(x, y_w, y_l) [ log sigmoid(r(x, y_w) - r(x, y_l)) ]     (paper eq. 1)</pre>
 *
 * where all C(K,2) pairs of one prompt sit in the same batch element, so each ranking is one
 * forward pass over K responses rather than C(K,2) passes (and does not overfit by being seen
 * C(K,2) times per epoch). Afterwards a bias makes the demonstrations score 0 on average.
 */
public final class RewardModelTrainer {

    public static final String STAGE = "rm";

    public record Result(long steps, double trainLoss, double trainAccuracy, double heldOutAccuracy, double bias) {}

    private final RewardModelConfig config;

    public RewardModelTrainer(RewardModelConfig config) {
        this.config = config;
    }

    public Result train(GPT rm, List<Comparison> data, List<Comparison> heldOut, List<Demonstration> demonstrations,
                        Checkpoint resume, TrainingListener listener) {
        StepLoop.Settings settings = new StepLoop.Settings(STAGE, "rm/", config.steps(),
                new CosineSchedule(config.lr(), config.floorFraction(), config.warmupSteps(), config.steps()),
                config.adam(), config.evalEvery(), config.checkpointEvery(), config.seed());
        BatchOrder order = new BatchOrder(data.size(), config.seed());
        StepLoop.Step step = (i, gc) -> {
            RankingLoss.Value value = loss(rm, BatchOrder.pick(data, order.batch(i, config.batchSize())));
            gc.backward(value.loss());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", (double) value.loss().getFloat());
            metrics.put("accuracy", (double) value.accuracy().getFloat());
            return metrics;
        };
        Map<String, Double> last = StepLoop.run(settings, rm, resume, listener, step,
                heldOut.isEmpty() ? null : () -> Map.of("heldout_accuracy", accuracy(rm, heldOut)));
        double bias = centre(rm, demonstrations);
        return new Result(config.steps(), last.getOrDefault("loss", Double.NaN),
                last.getOrDefault("accuracy", Double.NaN), last.getOrDefault("heldout_accuracy", Double.NaN), bias);
    }

    /** Eq. 1 over a batch of rankings, with the reward model's scalar head as r. */
    private static RankingLoss.Value loss(GPT rm, List<Comparison> batch) {
        RankingLoss.Responses flat = RankingLoss.Responses.of(batch);
        return RankingLoss.of(rewards(rm, flat.prompts(), flat.responses(), true), batch);
    }

    /** r(x, y) for each prompt/response pair, [N]: the scalar head at the response's last token. */
    public static NDArray rewards(GPT rm, List<int[]> prompts, List<int[]> responses, boolean training) {
        List<int[]> seqs = new ArrayList<>(prompts.size());
        int limit = rm.config().context();
        for (int i = 0; i < prompts.size(); i++) {
            int[] seq = new Demonstration(prompts.get(i), responses.get(i)).sequence();
            seqs.add(java.util.Arrays.copyOf(seq, Math.min(seq.length, limit)));
        }
        PackedBatch batch = PackedBatch.of(seqs, 0);
        long[] last = new long[seqs.size()];
        for (int i = 0; i < last.length; i++) {
            last[i] = batch.flatIndex(i, batch.length(i) - 1);
        }
        NDArray scores = rm.scores(rm.forward(batch, training)).reshape(1, -1);
        return scores.gather(rm.manager().create(last, new Shape(1, last.length)), 1).squeeze(0);
    }

    /** Rewards as plain numbers, computed in batches without gradients. */
    public static float[] score(GPT rm, List<int[]> prompts, List<int[]> responses) {
        float[] out = new float[prompts.size()];
        int chunk = 128;
        for (int from = 0; from < out.length; from += chunk) {
            int to = Math.min(out.length, from + chunk);
            try (NDScope scope = new NDScope()) {
                float[] part = rewards(rm, prompts.subList(from, to), responses.subList(from, to), false).toFloatArray();
                System.arraycopy(part, 0, out, from, part.length);
            }
        }
        return out;
    }

    /** Held-out pairwise accuracy: how often r(winner) > r(loser), ties counted half. */
    public static double accuracy(GPT rm, List<Comparison> comparisons) {
        RankingLoss.Responses flat = RankingLoss.Responses.of(comparisons);
        return RankingLoss.accuracy(score(rm, flat.prompts(), flat.responses()), comparisons);
    }

    /** Shifts the head's bias so the demonstrations' mean reward is 0 (paper section 3.5). */
    private static double centre(GPT rm, List<Demonstration> demonstrations) {
        if (demonstrations.isEmpty()) {
            return 0;
        }
        List<int[]> prompts = demonstrations.stream().map(Demonstration::prompt).toList();
        List<int[]> responses = demonstrations.stream().map(Demonstration::response).toList();
        double mean = 0;
        for (float r : score(rm, prompts, responses)) {
            mean += r;
        }
        mean /= demonstrations.size();
        rm.parameters().get("score.b").subi((float) mean);
        return -mean;
    }
}
