package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.Sampler;
import ai.instructflow.trainer.model.TokenBatch;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hugging Face GPT-2 checkpoints written by the independent PyTorch reference (several shapes, the
 * real 50,257-token vocabulary, both key layouts, sharded, tied and untied, both GELUs) load into our
 * GPT and give the reference's logits and greedy tokens.
 */
class Gpt2ParityTest {

    static final Path DIR = Reference.TARGET.resolve("gpt2-reference");
    static final float TOLERANCE = 1e-4f;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void writeReferences() throws Exception {
        Reference.python("make", DIR.toString());
    }

    static Stream<String> cases() {
        return Stream.of("tiny-original", "tiny-sharded", "gpt2-vocab", "untied-exact-gelu");
    }

    static List<int[]> rows(JsonNode ids) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode row : ids) {
            out.add(ints(row));
        }
        return out;
    }

    static int[] ints(JsonNode row) {
        int[] out = new int[row.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.get(i).asInt();
        }
        return out;
    }

    static float[] logits(GPT model, List<int[]> ids) {
        try (NDScope scope = new NDScope()) {
            return model.logits(model.forward(TokenBatch.rightPadded(ids, 0, 0), null, false)).toFloatArray();
        }
    }

    static float[] expected(Path file, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            return SafeTensors.read(file, m).get(name).toFloatArray();
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst + " > " + TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logitsAndGreedyTokensMatchThePyTorchReference(String name) throws Exception {
        Path folder = DIR.resolve(name);
        JsonNode ref = JSON.readTree(folder.resolve("reference.json").toFile());
        try (GPT model = Gpt2Checkpoint.read(folder, Device.cpu())) {
            assertClose(expected(folder.resolve("reference.safetensors"), "logits"), logits(model, rows(ref.path("ids"))), name);
            int[] greedy = ints(ref.path("greedy"));
            Sampler sampler = new Sampler(model, new PromptFormat(new ByteTokenizer()));
            int[] ours = sampler.generate(List.of(ints(ref.path("prompt"))),
                    new Sampler.Config(0f, 0, 1f, greedy.length, false), new Random(0)).get(0);
            assertArrayEquals(greedy, ours, name + ": greedy tokens");
        }
    }

    @org.junit.jupiter.api.Test
    void halfPrecisionTensorsWidenToWhatPyTorchWidensThemTo() throws Exception {
        JsonNode ref = JSON.readTree(DIR.resolve("dtypes.json").toFile());
        for (String dtype : List.of("F16", "BF16")) {
            Path file = DIR.resolve(dtype.toLowerCase() + ".safetensors");
            assertEquals(SafeTensors.DType.valueOf(dtype), SafeTensors.header(file).get("x").dtype());
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                NDArray x = SafeTensors.read(file, m).get("x");
                assertArrayEquals(new long[] {3, 5}, x.getShape().getShape());
                float[] want = new float[ref.path(dtype).size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) ref.path(dtype).get(i).asDouble();
                }
                assertArrayEquals(want, x.toFloatArray(), 0f, dtype);
            }
        }
    }
}
