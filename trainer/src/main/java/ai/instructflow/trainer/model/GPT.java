package ai.instructflow.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * GPT-2: token + learned position embeddings, pre-LayerNorm blocks of causal multi-head
 * self-attention and a GELU MLP, a final LayerNorm, and heads on top; the LayerNorm epsilon, the
 * GELU variant and whether the LM head is the token embedding come from {@link Architecture}.
 * Written as plain tensor math over a name -> parameter map, so checkpoints, copies (SFT -> RM ->
 * PPO) and optimizers all work on that one map.
 *
 * <p>Heads: {@code lm} (unembedding to next-token logits) for policies, {@code score} (one scalar
 * per position) for rewards and values. The reward model is the SFT model minus the unembedding
 * plus a scalar head (InstructGPT section 3.5).
 */
public final class GPT implements AutoCloseable {

    public enum Head { LM, SCORE }

    /** Large negative instead of -inf so a fully masked row (a pad query) softmaxes to finite noise. */
    private static final float MASKED = -1e9f;

    private final GPTConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    private GPT(GPTConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
    }

    /** Fresh weights: N(0, 0.02), residual projections scaled by 1/sqrt(2 * layers) as in GPT-2. */
    public static GPT create(GPTConfig config, Device device, long seed, Head... heads) {
        GPT gpt = new GPT(config, NDManager.newBaseManager(device));
        Random rng = new Random(seed);
        int d = config.dModel();
        float std = 0.02f;
        float residualStd = (float) (std / Math.sqrt(2.0 * config.layers()));
        gpt.normal("wte", rng, std, config.vocabSize(), d);
        gpt.normal("wpe", rng, std, config.context(), d);
        for (int l = 0; l < config.layers(); l++) {
            String p = "h." + l + ".";
            gpt.layerNorm(p + "ln1", d);
            gpt.normal(p + "attn.w", rng, std, 3 * d, d);
            gpt.zeros(p + "attn.b", 3 * d);
            gpt.normal(p + "proj.w", rng, residualStd, d, d);
            gpt.zeros(p + "proj.b", d);
            gpt.layerNorm(p + "ln2", d);
            gpt.normal(p + "fc.w", rng, std, 4 * d, d);
            gpt.zeros(p + "fc.b", 4 * d);
            gpt.normal(p + "out.w", rng, residualStd, d, 4 * d);
            gpt.zeros(p + "out.b", d);
        }
        gpt.layerNorm("lnf", d);
        for (Head head : heads) {
            gpt.addHead(head, rng);
        }
        return gpt;
    }

    /** A deep copy with the given heads: shared ones are copied, missing ones freshly initialised. */
    public GPT copy(long seed, Head... heads) {
        GPT out = new GPT(config, NDManager.newBaseManager(manager.getDevice()));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            if (!isHead(e.getKey())) {
                out.put(e.getKey(), e.getValue().duplicate());
            }
        }
        Random rng = new Random(seed);
        for (Head head : heads) {
            if (has(head)) {
                for (String name : headParams(head)) {
                    out.put(name, params.get(name).duplicate());
                }
            } else {
                out.addHead(head, rng);
            }
        }
        return out;
    }

    /** An empty model to be filled by a checkpoint. */
    public static GPT empty(GPTConfig config, Device device) {
        return new GPT(config, NDManager.newBaseManager(device));
    }

    public GPTConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    public NDManager manager() {
        return manager;
    }

    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** A tied LM head is the embedding, so a tied model always has it. */
    public boolean has(Head head) {
        if (head == Head.LM && tied()) {
            return true;
        }
        return params.containsKey(headParams(head)[0]);
    }

    /** Adds (or replaces) a parameter; it is moved under this model's memory manager. */
    public void put(String name, NDArray value) {
        value.attach(manager);
        NDScope.unregister(value);
        NDArray old = params.put(name, value);
        if (old != null && old != value) {
            old.close();
        }
    }

    public void setTrainable(boolean trainable) {
        params.values().forEach(p -> p.setRequiresGradient(trainable));
    }

    /**
     * The final hidden states, [B, T, d]. With a cache, the batch continues the cached sequence:
     * positions and the causal mask are offset by what the cache holds, and the cache grows by T.
     */
    public NDArray forward(TokenBatch batch, KVCache cache, boolean training) {
        int b = batch.size();
        int t = batch.length();
        int offset = cache == null ? 0 : cache.length();
        if (offset + t > config.context()) {
            throw new IllegalArgumentException(
                    "sequence of " + (offset + t) + " tokens exceeds the context of " + config.context());
        }
        int[] leftPad = cache == null ? batch.leftPad() : cache.leftPad(batch);
        Shape shape = new Shape(b, t);
        return forward(manager.create(batch.flat(), shape), manager.create(positions(leftPad, offset, t), shape),
                manager.create(attentionBias(leftPad, offset, t), new Shape(b, 1, t, offset + t)), cache, training);
    }

    /** Final hidden states of packed sequences, [rows, width, d]: each row position as its own sequence sees it. */
    public NDArray forward(PackedBatch batch, boolean training) {
        int w = batch.width();
        if (w > config.context()) {
            throw new IllegalArgumentException("packed rows of " + w + " tokens exceed the context of " + config.context());
        }
        Shape shape = new Shape(batch.rows(), w);
        return forward(manager.create(batch.flat(), shape), manager.create(batch.positions(), shape),
                manager.create(batch.attentionBias(MASKED), new Shape(batch.rows(), 1, w, w)), null, training);
    }

    private NDArray forward(NDArray tokens, NDArray positions, NDArray bias, KVCache cache, boolean training) {
        NDArray x = embed(tokens, "wte").add(embed(positions, "wpe"));
        x = dropout(x, training);
        for (int l = 0; l < config.layers(); l++) {
            x = block(x, l, bias, cache, training);
        }
        if (cache != null) {
            cache.advance((int) tokens.getShape().get(1));
        }
        return layerNorm(x, "lnf");
    }

    /** Next-token logits, [B, T, vocab]. */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, params.get(tied() ? "wte" : "lm_head.w")).singletonOrThrow();
    }

    /** One scalar per position, [B, T]: a reward (read at the last token) or a value estimate. */
    public NDArray scores(NDArray hidden) {
        return linear(hidden, "score").squeeze(-1);
    }

    /**
     * One pre-LayerNorm block. {@link Scoped}: its intermediates (attention scores before the
     * softmax, the GELU's partial results, ...) are freed as soon as it returns.
     */
    private NDArray block(NDArray x, int l, NDArray bias, KVCache cache, boolean training) {
        String p = "h." + l + ".";
        return Scoped.call(() -> {
            NDArray y = x.add(attention(layerNorm(x, p + "ln1"), l, bias, cache, training));
            NDArray h = activation(linear(layerNorm(y, p + "ln2"), p + "fc"));
            return y.add(dropout(linear(h, p + "out"), training));
        });
    }

    /** Causal self-attention (Vaswani et al. 2017, eq. 1) over the cached prefix plus this step. */
    private NDArray attention(NDArray x, int layer, NDArray bias, KVCache cache, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int h = config.heads();
        int hd = config.headDim();
        NDList qkv = linear(x, "h." + layer + ".attn").split(3, 2);
        NDArray q = qkv.get(0).reshape(b, t, h, hd).transpose(0, 2, 1, 3);
        q = OwnedArrays.scale(q, (float) (1.0 / Math.sqrt(hd)));
        NDArray k = qkv.get(1).reshape(b, t, h, hd).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(2).reshape(b, t, h, hd).transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1);
        NDArray y = dropout(att, training).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd);
        return dropout(linear(y, "h." + layer + ".proj"), training);
    }

    /** Position of each token, ignoring left padding so a padded prompt is encoded like an unpadded one. */
    private static long[] positions(int[] leftPad, int offset, int t) {
        long[] pos = new long[leftPad.length * t];
        for (int b = 0; b < leftPad.length; b++) {
            for (int i = 0; i < t; i++) {
                pos[b * t + i] = Math.max(0, offset + i - leftPad[b]);
            }
        }
        return pos;
    }

    /** Additive mask [B, 1, T, S]: a query sees keys at or before itself that are not left padding. */
    private static float[] attentionBias(int[] leftPad, int offset, int t) {
        int s = offset + t;
        float[] bias = new float[leftPad.length * t * s];
        for (int b = 0; b < leftPad.length; b++) {
            for (int i = 0; i < t; i++) {
                int row = (b * t + i) * s;
                for (int j = 0; j < s; j++) {
                    if (j > offset + i || j < leftPad[b]) {
                        bias[row + j] = MASKED;
                    }
                }
            }
        }
        return bias;
    }

    private NDArray embed(NDArray ids, String table) {
        return Embedding.embedding(ids, params.get(table), SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, params.get(name + ".w"), params.get(name + ".b")).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.dModel()), params.get(name + ".g"), params.get(name + ".b"),
                config.architecture().layerNormEpsilon()).singletonOrThrow();
    }

    private NDArray activation(NDArray x) {
        if (config.architecture().activation() == Architecture.Activation.GELU) {
            return Activation.gelu(x);
        }
        // libtorch's gelu(approximate="tanh") is not reachable through DJL, so the formula by hand
        // constants through OwnedArrays.scale: autograd keeps them for the backward pass
        NDArray cube = x.mul(x).mul(x);
        NDArray inner = OwnedArrays.scale(x.add(OwnedArrays.scale(cube, 0.044715f)), (float) Math.sqrt(2.0 / Math.PI));
        return OwnedArrays.scale(x.mul(inner.tanh().add(1f)), 0.5f);
    }

    private boolean tied() {
        return config.architecture().tiedLmHead();
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0 ? Dropout.dropout(x, config.dropout(), true).singletonOrThrow() : x;
    }

    private void addHead(Head head, Random rng) {
        if (head == Head.LM) {
            if (tied()) {
                return;
            }
            normal("lm_head.w", rng, 0.02f, config.vocabSize(), config.dModel());
        } else {
            normal("score.w", rng, 0.02f, 1, config.dModel());
            zeros("score.b", 1);
        }
    }

    private String[] headParams(Head head) {
        if (head == Head.LM) {
            return tied() ? new String[0] : new String[] {"lm_head.w"};
        }
        return new String[] {"score.w", "score.b"};
    }

    private static boolean isHead(String name) {
        return name.startsWith("lm_head.") || name.startsWith("score.");
    }

    private void normal(String name, Random rng, float std, int... shape) {
        int n = 1;
        for (int dim : shape) {
            n *= dim;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) rng.nextGaussian() * std;
        }
        put(name, manager.create(data, new Shape(toLong(shape))));
    }

    private void zeros(String name, int n) {
        put(name, manager.zeros(new Shape(n), DataType.FLOAT32));
    }

    private void layerNorm(String name, int d) {
        put(name + ".g", manager.ones(new Shape(d), DataType.FLOAT32));
        zeros(name + ".b", d);
    }

    private static long[] toLong(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
