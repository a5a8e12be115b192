package ai.instructflow.trainer.dpo;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.RankingLoss;
import ai.instructflow.trainer.train.ResponseLogProbs;
import java.util.Arrays;
import java.util.List;

/**
 * log ref(y|x) of every response of a fixed list of comparisons under the frozen reference (SFT)
 * model, each computed once, the first time a batch needs it (with its block of neighbours), and without gradients: the reference
 * never changes, so recomputing it every epoch would only double the forward passes. A resumed run
 * recomputes what it needs, to the same numbers.
 */
final class ReferenceLogProbs {

    /**
     * Comparisons scored together, always the same ones (by index): the numbers then do not depend on
     * which batch asked first, so a resumed run reads exactly what the uninterrupted one read (a
     * forward pass over differently packed rows rounds differently).
     */
    private static final int BLOCK = 16;

    private final GPT reference;
    private final List<Comparison> comparisons;
    private final int pad;
    private final float[][] known;

    ReferenceLogProbs(GPT reference, List<Comparison> comparisons, int pad) {
        this.reference = reference;
        this.comparisons = comparisons;
        this.pad = pad;
        this.known = new float[comparisons.size()][];
    }

    /** The log-probabilities of the comparisons at {@code indices}, in {@link RankingLoss.Responses} order. */
    float[] of(int[] indices) {
        for (int i : indices) {
            if (known[i] == null) {
                score(i / BLOCK);
            }
        }
        int total = 0;
        for (int i : indices) {
            total += known[i].length;
        }
        float[] out = new float[total];
        int at = 0;
        for (int i : indices) {
            System.arraycopy(known[i], 0, out, at, known[i].length);
            at += known[i].length;
        }
        return out;
    }

    private void score(int block) {
        int from = block * BLOCK;
        List<Comparison> batch = comparisons.subList(from, Math.min(comparisons.size(), from + BLOCK));
        List<Demonstration> rows = RankingLoss.Responses.of(batch).sequences();
        float[] scored = ResponseLogProbs.sums(reference, rows, pad, rows.size());
        int at = 0;
        for (int i = from; i < from + batch.size(); i++) {
            int k = comparisons.get(i).responses().size();
            known[i] = Arrays.copyOfRange(scored, at, at + k);
            at += k;
        }
    }

    /** Every comparison's, in order. */
    float[] all() {
        int[] every = new int[comparisons.size()];
        for (int i = 0; i < every.length; i++) {
            every[i] = i;
        }
        return of(every);
    }
}
