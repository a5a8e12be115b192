package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;

/** Per-token quantities of a distribution over the vocabulary, read off logits [B, T, V]. */
public final class LogProbs {

    private LogProbs() {}

    /** log p(target_t), [B, T]. */
    public static NDArray of(NDArray logits, NDArray targets) {
        return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    }

    /** Entropy of the next-token distribution, [B, T]. */
    public static NDArray entropy(NDArray logits) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.exp().mul(logp).sum(new int[] {-1}).neg();
    }
}
