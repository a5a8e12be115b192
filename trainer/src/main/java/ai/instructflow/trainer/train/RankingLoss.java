package ai.instructflow.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The pairwise Bradley-Terry loss over rankings that the reward model and DPO share:
 *
 * <pre>loss = -1/C(K,2) * E_(x, y_w, y_l) [ log sigmoid(r(x, y_w) - r(x, y_l)) ]     (InstructGPT eq. 1)</pre>
 *
 * The reward model's r is its scalar head; DPO's is the policy's implicit reward
 * beta * log(pi(y|x) / pi_ref(y|x)) (Rafailov et al. 2023, eq. 7). All C(K,2) pairs of one prompt sit
 * in the same batch element, so each ranking is one forward pass over its K responses.
 */
public final class RankingLoss {

    /**
     * @param loss     the weighted loss, a scalar that autograd differentiates
     * @param accuracy share of pairs whose winner has the higher reward
     * @param margin   mean r(x, y_w) - r(x, y_l) over the pairs
     */
    public record Value(NDArray loss, NDArray accuracy, NDArray margin) {}

    /** Every response of every comparison in order, each beside its prompt: the rows rewards are computed for. */
    public record Responses(List<int[]> prompts, List<int[]> responses) {

        public static Responses of(List<Comparison> comparisons) {
            Responses flat = new Responses(new ArrayList<>(), new ArrayList<>());
            for (Comparison c : comparisons) {
                for (int[] response : c.responses()) {
                    flat.prompts().add(c.prompt());
                    flat.responses().add(response);
                }
            }
            return flat;
        }

        /** The rows as prompt + response sequences. */
        public List<Demonstration> sequences() {
            List<Demonstration> out = new ArrayList<>(prompts.size());
            for (int i = 0; i < prompts.size(); i++) {
                out.add(new Demonstration(prompts.get(i), responses.get(i)));
            }
            return out;
        }
    }

    private RankingLoss() {}

    /**
     * Eq. 1 given the rewards of every response of every comparison, in {@link Responses} order: each
     * prompt's pairs weigh 1/C(K,2) and the batch is a mean over prompts.
     */
    public static Value of(NDArray rewards, List<Comparison> batch) {
        List<Long> winners = new ArrayList<>();
        List<Long> losers = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        long base = 0;
        for (Comparison c : batch) {
            List<int[]> pairs = c.pairs();
            for (int[] pair : pairs) {
                winners.add(base + pair[0]);
                losers.add(base + pair[1]);
                weights.add(1f / (pairs.size() * batch.size()));
            }
            base += c.responses().size();
        }
        NDManager m = rewards.getManager();
        NDArray diff = rewards.get(m.create(toLongs(winners))).sub(rewards.get(m.create(toLongs(losers))));
        // -log sigmoid(d) = softplus(-d)
        NDArray loss = Activation.softPlus(diff.neg()).mul(m.create(toFloats(weights))).sum();
        NDArray accuracy = diff.gt(0f).toType(DataType.FLOAT32, false).mean();
        return new Value(loss, accuracy, diff.mean());
    }

    /**
     * Pairwise accuracy of plain rewards, in {@link Responses} order: how often r(winner) > r(loser),
     * an equal pair counted half; NaN when no comparison has a pair.
     */
    public static double accuracy(float[] rewards, List<Comparison> comparisons) {
        double correct = 0;
        int pairs = 0;
        int base = 0;
        for (Comparison c : comparisons) {
            for (int[] pair : c.pairs()) {
                float d = rewards[base + pair[0]] - rewards[base + pair[1]];
                correct += d > 0 ? 1 : d == 0 ? 0.5 : 0;
                pairs++;
            }
            base += c.responses().size();
        }
        return pairs == 0 ? Double.NaN : correct / pairs;
    }

    private static long[] toLongs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] toFloats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
