package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Batched autoregressive sampling. The model runs on the device; the choice of the next token
 * happens here on one row of logits per sequence, so temperature, top-k and top-p are plain Java
 * and every draw comes from the caller's seeded Random.
 */
public final class Sampler {

    /**
     * temperature 0 is greedy; topK 0 and topP 1 switch those filters off; {@code stop} false keeps
     * decoding past stop tokens (fixed-length generation, for benchmarks).
     */
    public record Config(float temperature, int topK, float topP, int maxTokens, boolean stop) {
        public Config {
            if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1 || maxTokens < 1) {
                throw new IllegalArgumentException("temperature >= 0, topK >= 0, 0 < topP <= 1, maxTokens >= 1");
            }
        }

        public static Config greedy(int maxTokens) {
            return new Config(0f, 0, 1f, maxTokens, true);
        }

        public static Config sample(float temperature, int maxTokens) {
            return new Config(temperature, 0, 1f, maxTokens, true);
        }
    }

    private final GPT model;
    private final PromptFormat format;

    public Sampler(GPT model, PromptFormat format) {
        this.model = model;
        this.format = format;
    }

    /** Responses, each ending with its stop token unless cut at maxTokens or the context. */
    public List<int[]> generate(List<int[]> prompts, Config config, Random rng) {
        return generate(prompts, config, rng, true);
    }

    /** Without the cache every step re-runs the whole prefix: kept for the benchmark's comparison. */
    public List<int[]> generate(List<int[]> prompts, Config config, Random rng, boolean useCache) {
        GradMode.offOnThisThread();
        TokenBatch batch = TokenBatch.leftPadded(prompts, format.tokenizer().pad());
        int budget = Math.min(config.maxTokens(), model.config().context() - batch.length());
        if (budget < 1) {
            throw new IllegalArgumentException("prompt of " + batch.length() + " tokens leaves no room in the context");
        }
        int b = batch.size();
        int[][] out = new int[b][budget];
        int[] lengths = new int[b];
        boolean[] done = new boolean[b];
        int[][] sequence = batch.tokens();
        try (NDScope scope = new NDScope();
             KVCache cache = useCache ? new KVCache(model.config().layers(), batch.length() + budget) : null) {
            float[] logits = lastLogits(batch, cache);
            for (int step = 0; step < budget; step++) {
                int[] next = new int[b];
                int vocab = model.config().vocabSize();
                boolean allDone = true;
                for (int r = 0; r < b; r++) {
                    if (done[r]) {
                        next[r] = format.tokenizer().pad();
                        continue;
                    }
                    next[r] = choose(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), config, rng);
                    out[r][lengths[r]++] = next[r];
                    done[r] = config.stop() && format.isStop(next[r]);
                    allDone &= done[r];
                }
                if (allDone || step == budget - 1) {
                    break;
                }
                if (useCache) {
                    logits = lastLogits(TokenBatch.column(next), cache);
                } else {
                    sequence = append(sequence, next);
                    logits = lastLogits(new TokenBatch(sequence, batch.leftPad()), null);
                }
            }
        }
        List<int[]> responses = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            responses.add(Arrays.copyOf(out[r], lengths[r]));
        }
        return responses;
    }

    private float[] lastLogits(TokenBatch batch, KVCache cache) {
        try (NDScope scope = new NDScope()) {
            NDArray hidden = model.forward(batch, cache, false);
            return model.logits(hidden.get(new NDIndex(":, -1:, :"))).toFloatArray();
        }
    }

    private static int[][] append(int[][] rows, int[] column) {
        int[][] out = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = Arrays.copyOf(rows[r], rows[r].length + 1);
            out[r][rows[r].length] = column[r];
        }
        return out;
    }

    /** One draw from softmax(logits / T), restricted to the top k and then the top-p nucleus. */
    static int choose(float[] logits, Config config, Random rng) {
        if (config.temperature() == 0f) {
            return argmax(logits);
        }
        // Candidates best first; without a filter the order does not matter and sorting is skipped.
        boolean filtered = config.topK() > 0 || config.topP() < 1f;
        int[] order = filtered ? byLogitDescending(logits) : null;
        int keep = config.topK() > 0 ? Math.min(config.topK(), logits.length) : logits.length;
        double max = logits[argmax(logits)];
        double[] p = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[filtered ? order[i] : i] - max) / config.temperature());
            total += p[i];
        }
        int nucleus = keep;
        if (config.topP() < 1f) {
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / total;
                if (cumulative >= config.topP()) {
                    nucleus = i + 1;
                    break;
                }
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += p[i];
        }
        double u = rng.nextDouble() * mass;
        int chosen = nucleus - 1;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u <= 0) {
                chosen = i;
                break;
            }
        }
        return filtered ? order[chosen] : chosen;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] byLogitDescending(float[] logits) {
        return java.util.stream.IntStream.range(0, logits.length).boxed()
                .sorted((a, c) -> Float.compare(logits[c], logits[a]))
                .mapToInt(Integer::intValue).toArray();
    }
}
