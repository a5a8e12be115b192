package ai.instructflow.trainer.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.LogProbs;
import ai.instructflow.trainer.model.OwnedArrays;
import ai.instructflow.trainer.model.TokenBatch;
import ai.instructflow.trainer.train.Demonstration;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal language-model loss on the response tokens only: the prompt is context, not a target
 * (InstructGPT SFT). Shared by SFT and by PPO-ptx, which mixes this loss into the policy objective.
 */
public final class ResponseLoss {

    /** Mean negative log-likelihood per response token, and how many tokens it averaged. */
    public record Value(NDArray loss, int tokens) {}

    private ResponseLoss() {}

    public static Value of(GPT model, List<Demonstration> batch, int pad, boolean training) {
        int limit = model.config().context() + 1;
        List<int[]> inputs = new ArrayList<>(batch.size());
        List<int[]> targets = new ArrayList<>(batch.size());
        int width = 0;
        for (Demonstration d : batch) {
            int[] seq = d.sequence();
            int n = Math.min(seq.length, limit);
            inputs.add(java.util.Arrays.copyOfRange(seq, 0, n - 1));
            targets.add(java.util.Arrays.copyOfRange(seq, 1, n));
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
        NDArray logp = LogProbs.of(model.logits(hidden), targetIds);
        return new Value(OwnedArrays.scale(logp.mul(maskArray).sum(), -1f / Math.max(1, tokens)), tokens);
    }
}
