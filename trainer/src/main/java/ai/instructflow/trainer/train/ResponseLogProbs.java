package ai.instructflow.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.LogProbs;
import ai.instructflow.trainer.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * log pi(response token | prompt, earlier response tokens) for a batch of prompt + response
 * sequences, zero on prompt and padding positions. SFT's loss is their mean over tokens
 * ({@code sft/ResponseLoss}); DPO needs each sequence's sum, log pi(y | x).
 *
 * @param perToken [B, W] log-probabilities, zero outside the responses
 * @param tokens   how many response tokens there are in the batch
 */
public record ResponseLogProbs(NDArray perToken, int tokens) {

    /** Sequences longer than the context lose their tail, so the last tokens of a long response do not count. */
    public static ResponseLogProbs of(GPT model, List<Demonstration> batch, int pad, boolean training) {
        int limit = model.config().context() + 1;
        List<int[]> inputs = new ArrayList<>(batch.size());
        List<int[]> targets = new ArrayList<>(batch.size());
        int width = 0;
        for (Demonstration d : batch) {
            int[] seq = d.sequence();
            int n = Math.min(seq.length, limit);
            inputs.add(Arrays.copyOfRange(seq, 0, n - 1));
            targets.add(Arrays.copyOfRange(seq, 1, n));
            width = Math.max(width, n - 1);
        }
        float[] mask = new float[batch.size() * width];
        int tokens = 0;
        for (int b = 0; b < batch.size(); b++) {
            // target i is sequence token i + 1: a response token once i + 1 >= prompt length
            int from = batch.get(b).prompt().length - 1;
            for (int i = Math.max(0, from); i < targets.get(b).length; i++) {
                mask[b * width + i] = 1f;
                tokens++;
            }
        }
        TokenBatch in = TokenBatch.rightPadded(inputs, pad, width);
        TokenBatch out = TokenBatch.rightPadded(targets, pad, width);
        NDArray hidden = model.forward(in, null, training);
        NDArray targetIds = model.manager().create(out.flat(), new Shape(batch.size(), width));
        NDArray maskArray = model.manager().create(mask, new Shape(batch.size(), width));
        return new ResponseLogProbs(LogProbs.of(model.logits(hidden), targetIds).mul(maskArray), tokens);
    }

    /** log pi(y | x) of each sequence, [B]: the sum over its response tokens. */
    public NDArray perSequence() {
        return perToken.sum(new int[] {1});
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
