package ai.instructflow.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GPTTest {

    static final GPTConfig CONFIG = new GPTConfig(259, 32, 2, 4, 32, 0f);
    static GPT gpt;

    @BeforeAll
    static void model() {
        gpt = GPT.create(CONFIG, Device.cpu(), 7, GPT.Head.LM, GPT.Head.SCORE);
    }

    @AfterAll
    static void close() {
        gpt.close();
    }

    private static float[] logits(TokenBatch batch) {
        try (NDScope scope = new NDScope()) {
            return gpt.logits(gpt.forward(batch, null, false)).toFloatArray();
        }
    }

    @Test
    void changingAFutureTokenNeverChangesEarlierLogits() {
        int[] a = {256, 10, 20, 30, 40, 50, 60};
        int[] b = a.clone();
        b[4] = 99;
        float[] la = logits(TokenBatch.rightPadded(List.of(a), 258, 0));
        float[] lb = logits(TokenBatch.rightPadded(List.of(b), 258, 0));
        int v = CONFIG.vocabSize();
        for (int i = 0; i < 4 * v; i++) {
            assertEquals(la[i], lb[i], 1e-6, "logit " + i + " before the changed token moved");
        }
        boolean laterChanged = false;
        for (int i = 4 * v; i < la.length; i++) {
            laterChanged |= Math.abs(la[i] - lb[i]) > 1e-4;
        }
        assertEquals(true, laterChanged, "the changed token must affect its own and later positions");
    }

    @Test
    void leftPaddingDoesNotChangeTheLogitsOfTheRealTokens() {
        int[] seq = {256, 5, 6, 7};
        int[] longer = {256, 1, 2, 3, 4, 5, 6};
        TokenBatch batch = TokenBatch.leftPadded(List.of(seq, longer), 258);
        float[] padded = logits(batch);
        float[] alone = logits(TokenBatch.rightPadded(List.of(seq), 258, 0));
        int v = CONFIG.vocabSize();
        int pad = batch.leftPad()[0];
        for (int i = 0; i < seq.length * v; i++) {
            assertEquals(alone[i], padded[pad * v + i], 1e-4);
        }
    }

    @Test
    void packedSequencesSeeOnlyThemselvesAsIfEachRanAlone() {
        List<int[]> seqs = List.of(new int[] {256, 1, 2, 3, 4, 5, 6, 7}, new int[] {256, 9, 8}, new int[] {256, 5},
                new int[] {256, 40, 41, 42, 43}, new int[] {256, 7, 7});
        PackedBatch packed = PackedBatch.of(seqs, 258);
        assertEquals(8, packed.width(), "rows as wide as the longest sequence");
        assertEquals(3, packed.rows(), "first fit: [8], [3, 2, 3], [5]: the last one goes back to the second row");
        float[] rows;
        try (NDScope scope = new NDScope()) {
            rows = gpt.logits(gpt.forward(packed, false)).toFloatArray();
        }
        int v = CONFIG.vocabSize();
        for (int s = 0; s < seqs.size(); s++) {
            float[] alone = logits(TokenBatch.rightPadded(List.of(seqs.get(s)), 258, 0));
            for (int t = 0; t < seqs.get(s).length; t++) {
                for (int i = 0; i < v; i++) {
                    assertEquals(alone[t * v + i], rows[packed.flatIndex(s, t) * v + i], 1e-4,
                            "sequence " + s + ", token " + t + ", logit " + i);
                }
            }
        }
    }

    @Test
    void kvCacheDecodeEqualsFullRecompute() {
        int[][] prompts = {{256, 11, 12, 13}, {256, 21, 22, 23, 24, 25}};
        int[][] continuation = {{31, 32, 33}, {41, 42, 43}};
        TokenBatch prompt = TokenBatch.leftPadded(List.of(prompts), 258);
        float[] cached;
        try (NDScope scope = new NDScope(); KVCache cache = new KVCache(CONFIG.layers(), prompt.length() + 3)) {
            gpt.forward(prompt, cache, false);
            NDArray last = null;
            for (int step = 0; step < 3; step++) {
                int[] col = {continuation[0][step], continuation[1][step]};
                last = gpt.logits(gpt.forward(TokenBatch.column(col), cache, false));
            }
            cached = last.toFloatArray();
        }
        int[][] full = new int[2][];
        for (int r = 0; r < 2; r++) {
            full[r] = new int[prompt.length() + 3];
            System.arraycopy(prompt.tokens()[r], 0, full[r], 0, prompt.length());
            System.arraycopy(continuation[r], 0, full[r], prompt.length(), 3);
        }
        float[] recomputed;
        try (NDScope scope = new NDScope()) {
            NDArray logits = gpt.logits(gpt.forward(new TokenBatch(full, prompt.leftPad()), null, false));
            recomputed = logits.get(new NDIndex(":, -1, :")).toFloatArray();
        }
        assertArrayEquals(recomputed, cached, 1e-4f);
    }

    @Test
    void copyWithoutTheLmHeadKeepsTheBodyAndAddsAScoreHead() {
        try (GPT rm = gpt.copy(1, GPT.Head.SCORE)) {
            assertEquals(false, rm.has(GPT.Head.LM));
            assertEquals(true, rm.has(GPT.Head.SCORE));
            assertArrayEquals(gpt.parameters().get("h.0.fc.w").toFloatArray(), rm.parameters().get("h.0.fc.w").toFloatArray());
            assertNotSame(gpt.parameters().get("h.0.fc.w"), rm.parameters().get("h.0.fc.w"), "a copy, not a shared tensor");
        }
    }
}
