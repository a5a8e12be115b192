package ai.instructflow.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.LogProbs;
import ai.instructflow.trainer.model.PackedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * log pi(response token | prompt, earlier response tokens) for a batch of prompt + response
 * sequences, packed ({@link PackedBatch}), zero on prompt and padding positions. SFT's loss is their
 * mean over tokens ({@code sft/ResponseLoss}); DPO needs each sequence's sum, log pi(y | x).
 *
 * @param perToken [rows, width] log-probabilities of the packed rows, zero outside the responses
 * @param tokens   how many response tokens there are in the batch
 * @param packed   where each sequence lies in the rows
 */
public record ResponseLogProbs(NDArray perToken, int tokens, PackedBatch packed) {

    /** Sequences longer than the context lose their tail, so the last tokens of a long response do not count. */
    public static ResponseLogProbs of(GPT model, List<Demonstration> batch, int pad, boolean training) {
        int context = model.config().context();
        List<int[]> inputs = new ArrayList<>(batch.size());
        for (Demonstration d : batch) {
            int[] seq = d.sequence();
            inputs.add(Arrays.copyOfRange(seq, 0, Math.min(seq.length, context + 1) - 1));
        }
        PackedBatch packed = PackedBatch.of(inputs, pad);
        int cells = packed.rows() * packed.width();
        long[] targets = new long[cells];
        Arrays.fill(targets, pad);
        float[] mask = new float[cells];
        int tokens = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] seq = batch.get(b).sequence();
            // target i is sequence token i + 1: a response token once i + 1 >= prompt length
            int from = batch.get(b).prompt().length - 1;
            for (int i = 0; i < packed.length(b); i++) {
                int cell = packed.flatIndex(b, i);
                targets[cell] = seq[i + 1];
                if (i >= from) {
                    mask[cell] = 1f;
                    tokens++;
                }
            }
        }
        Shape shape = new Shape(packed.rows(), packed.width());
        NDArray hidden = model.forward(packed, training);
        NDArray targetIds = model.manager().create(targets, shape);
        NDArray maskArray = model.manager().create(mask, shape);
        return new ResponseLogProbs(LogProbs.of(model.logits(hidden), targetIds).mul(maskArray), tokens, packed);
    }

    /** log pi(y | x) of each sequence, [B]: the sum over its response tokens. */
    public NDArray perSequence() {
        // [sequences, rows x width], 1 on a sequence's cells: its prompt's are zero in perToken already
        int cells = packed.rows() * packed.width();
        float[] members = new float[packed.size() * cells];
        for (int s = 0; s < packed.size(); s++) {
            for (int i = 0; i < packed.length(s); i++) {
                members[s * cells + packed.flatIndex(s, i)] = 1f;
            }
        }
        NDArray membership = perToken.getManager().create(members, new Shape(packed.size(), cells));
        return membership.matMul(perToken.reshape(-1, 1)).squeeze(1);
    }

    /** log pi(y | x) of each sequence as plain numbers, in batches of {@code chunk} without gradients. */
    public static float[] sums(GPT model, List<Demonstration> sequences, int pad, int chunk) {
        float[] out = new float[sequences.size()];
        for (int from = 0; from < out.length; from += chunk) {
            int to = Math.min(out.length, from + chunk);
            try (NDScope scope = new NDScope()) {
                float[] part = of(model, sequences.subList(from, to), pad, false).perSequence().toFloatArray();
                System.arraycopy(part, 0, out, from, part.length);
            }
        }
        return out;
    }
}
