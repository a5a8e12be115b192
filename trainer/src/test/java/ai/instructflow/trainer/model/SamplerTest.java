package ai.instructflow.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {1f, 3f, 2f, 0f};

    @Test
    void greedyTopKAndTopPPickTheMode() {
        Random rng = new Random(1);
        assertEquals(1, Sampler.choose(LOGITS, Sampler.Config.greedy(1), rng));
        for (int i = 0; i < 50; i++) {
            assertEquals(1, Sampler.choose(LOGITS, new Sampler.Config(1f, 1, 1f, 1, true), rng));
            assertEquals(1, Sampler.choose(LOGITS, new Sampler.Config(1f, 0, 0.1f, 1, true), rng));
        }
    }

    @Test
    void temperatureOneSamplesTheSoftmaxAndTopKCutsTheTail() {
        Random rng = new Random(7);
        int n = 40_000;
        int[] counts = new int[4];
        int[] topTwo = new int[4];
        for (int i = 0; i < n; i++) {
            counts[Sampler.choose(LOGITS, Sampler.Config.sample(1f, 1), rng)]++;
            topTwo[Sampler.choose(LOGITS, new Sampler.Config(1f, 2, 1f, 1, true), rng)]++;
        }
        double z = Math.exp(1) + Math.exp(3) + Math.exp(2) + 1;
        for (int i = 0; i < 4; i++) {
            assertEquals(Math.exp(LOGITS[i]) / z, counts[i] / (double) n, 0.01, "token " + i);
        }
        assertEquals(0, topTwo[0] + topTwo[3]);
        assertEquals(Math.exp(3) / (Math.exp(3) + Math.exp(2)), topTwo[1] / (double) n, 0.01);
    }

    @Test
    void generationIsReproducibleAndEndsAtAStopTokenOrTheBudget() {
        PromptFormat format = new PromptFormat(new ByteTokenizer());
        try (GPT gpt = GPT.create(new GPTConfig(259, 32, 2, 4, 48, 0f), Device.cpu(), 5, GPT.Head.LM)) {
            Sampler sampler = new Sampler(gpt, format);
            List<int[]> prompts = List.of(format.prompt("upper: abc"), format.prompt("first letter of hello"));
            List<int[]> a = sampler.generate(prompts, Sampler.Config.sample(1f, 12), new Random(3));
            List<int[]> b = sampler.generate(prompts, Sampler.Config.sample(1f, 12), new Random(3));
            List<int[]> uncached = sampler.generate(prompts, Sampler.Config.sample(1f, 12), new Random(3), false);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
                assertArrayEquals(a.get(i), uncached.get(i), "cache on or off, the same draws");
                int[] r = a.get(i);
                assertTrue(r.length == 12 || format.isStop(r[r.length - 1]));
            }
            List<int[]> fixed = sampler.generate(prompts, new Sampler.Config(1f, 0, 1f, 12, false), new Random(3));
            fixed.forEach(r -> assertEquals(12, r.length));
        }
    }
}
