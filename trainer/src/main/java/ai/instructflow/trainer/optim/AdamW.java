package ai.instructflow.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Scoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, 2019) with global gradient-norm clipping. The moment estimates are
 * plain named tensors so a checkpoint can carry them and a resumed run continues bit for bit.
 * Weight decay applies to matrices only (not biases or LayerNorm gains), as in GPT-2.
 */
public final class AdamW {

    private static final NDIndex ALL = new NDIndex("...");

    private final GPT model;
    private final AdamWConfig config;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(GPT model, AdamWConfig config) {
        this.model = model;
        this.config = config;
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            m.put(e.getKey(), zerosLike(e.getValue()));
            v.put(e.getKey(), zerosLike(e.getValue()));
        }
    }

    private static NDArray zerosLike(NDArray p) {
        NDArray z = p.zerosLike();
        NDScope.unregister(z);
        return z;
    }

    public long step() {
        return step;
    }

    /** Moments by parameter name, "m." and "v." prefixed, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m." + k, a));
        v.forEach((k, a) -> out.put("v." + k, a));
        return out;
    }

    public void restore(Map<String, float[]> state, long step) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] data = state.get(e.getKey());
            if (data == null) {
                throw new IllegalArgumentException("checkpoint lacks optimizer state " + e.getKey());
            }
            e.getValue().set(data);
        }
        this.step = step;
    }

    /**
     * One update from the gradients the last backward pass left on the parameters, which are then
     * zeroed. Returns the gradient norm before clipping. A norm that is not finite (an overflow in
     * the backward pass) would turn every weight into NaN through the clipping scale, so that update
     * is skipped: the gradients are cleared and the weights and moments stay as they were.
     */
    public float update(float lr) {
        try (NDScope scope = new NDScope()) {
            NDArray sumSq = null;
            for (NDArray p : model.parameters().values()) {
                // Scoped: each parameter's full-size temporaries go before the next one's are made
                NDArray g = Scoped.call(() -> p.getGradient().square().sum());
                sumSq = sumSq == null ? g : sumSq.add(g);
            }
            float norm = (float) Math.sqrt(sumSq.getFloat());
            if (!Float.isFinite(norm)) {
                clearGradients();
                return norm;
            }
            step++;
            float scale = norm > config.gradClip() ? config.gradClip() / (norm + 1e-6f) : 1f;
            float bc1 = (float) (1 - Math.pow(config.beta1(), step));
            float bc2 = (float) (1 - Math.pow(config.beta2(), step));
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                Scoped.run(() -> {
                    NDArray p = e.getValue();
                    NDArray grad = p.getGradient();
                    NDArray g = grad.mul(scale);
                    NDArray mt = m.get(e.getKey()).muli(config.beta1()).addi(g.mul(1 - config.beta1()));
                    NDArray vt = v.get(e.getKey()).muli(config.beta2()).addi(g.square().muli(1 - config.beta2()));
                    if (p.getShape().dimension() >= 2 && config.weightDecay() > 0) {
                        p.subi(p.mul(lr * config.weightDecay()));
                    }
                    p.subi(mt.div(vt.div(bc2).sqrt().addi(config.eps())).muli(lr / bc1));
                    grad.subi(grad);
                });
            }
            return norm;
        }
    }

    /**
     * Zeroes every gradient, also one holding inf or NaN, which subtracting it from itself would keep.
     * In place on the tensor: {@code set(float[])} would make the gradient borrow a Java buffer that
     * lives only as long as this temporary wrapper, and the next backward would write to freed memory.
     */
    public void clearGradients() {
        try (NDScope scope = new NDScope()) {
            for (NDArray p : model.parameters().values()) {
                p.getGradient().set(ALL, 0f);
            }
        }
    }
}
