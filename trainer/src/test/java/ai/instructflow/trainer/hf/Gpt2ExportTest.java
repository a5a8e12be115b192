package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.model.TokenBatch;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.Tokenizer;
import ai.instructflow.trainer.tokenizer.ToyBpe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exported folders load into the independent PyTorch GPT-2 with the same logits (policies) or scores
 * (reward models), and import back into our GPT unchanged.
 */
class Gpt2ExportTest {

    static final Path DIR = Reference.TARGET.resolve("gpt2-export");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<int[]> IDS = List.of(new int[] {1, 7, 42, 99, 3, 250, 17, 8}, new int[] {200, 5, 5, 5, 64, 2, 0, 255});

    @BeforeAll
    static void references() throws Exception {
        Reference.python("make", Gpt2ParityTest.DIR.toString());
        Files.createDirectories(DIR);
        JSON.writeValue(DIR.resolve("ids.json").toFile(), IDS);
    }

    /** The reference's output for a folder on {@link #IDS}. */
    static float[] pytorch(Path folder, String output) throws Exception {
        Path out = folder.resolve("pytorch.safetensors");
        Reference.python("forward", folder.toString(), DIR.resolve("ids.json").toString(), out.toString());
        return Gpt2ParityTest.expected(out, output);
    }

    static float[] scores(GPT model) {
        try (NDScope scope = new NDScope()) {
            return model.scores(model.forward(TokenBatch.rightPadded(IDS, 0, 0), null, false)).toFloatArray();
        }
    }

    static void assertSameWeights(GPT expected, GPT actual) {
        Map<String, NDArray> want = expected.parameters();
        assertEquals(want.keySet(), actual.parameters().keySet());
        want.forEach((name, w) -> {
            assertArrayEquals(w.getShape().getShape(), actual.parameters().get(name).getShape().getShape(), name);
            assertArrayEquals(w.toFloatArray(), actual.parameters().get(name).toFloatArray(), 0f, name);
        });
    }

    void policyRoundTrip(GPT model, String name, Tokenizer tokenizer) throws Exception {
        Path folder = DIR.resolve(name);
        Gpt2Export.policy(model, tokenizer, folder);
        Gpt2ParityTest.assertClose(pytorch(folder, "logits"), Gpt2ParityTest.logits(model, IDS), name);
        try (GPT back = Gpt2Checkpoint.read(folder, Device.cpu())) {
            assertEquals(model.config().withDropout(back.config().dropout()), back.config());
            assertSameWeights(model, back);
        }
    }

    @Test
    void anImportedTiedGpt2ExportsToWhatPyTorchComputesAndImportsBackUnchanged() throws Exception {
        try (GPT model = Gpt2Checkpoint.read(Gpt2ParityTest.DIR.resolve("tiny-original"), Device.cpu())) {
            policyRoundTrip(model, "tied", ToyBpe.tokenizer());
        }
        assertEquals(ToyBpe.tokenizer(), Gpt2BpeTokenizer.fromFolder(DIR.resolve("tied")));
        JsonNode config = JSON.readTree(DIR.resolve("tied/config.json").toFile());
        assertEquals("GPT2LMHeadModel", config.path("architectures").get(0).asText());
    }

    @Test
    void aByteLevelModelOfOursExportsUntiedWithExactGelu() throws Exception {
        try (GPT model = GPT.create(new GPTConfig(259, 32, 2, 4, 16, 0f), Device.cpu(), 3, GPT.Head.LM)) {
            policyRoundTrip(model, "byte-level", new ByteTokenizer());
        }
        JsonNode config = JSON.readTree(DIR.resolve("byte-level/config.json").toFile());
        assertEquals("gelu", config.path("activation_function").asText());
        assertEquals(false, config.path("tie_word_embeddings").asBoolean());
    }

    @Test
    void aRewardModelExportsAsASequenceClassifierWithItsBiasFoldedIn() throws Exception {
        GPTConfig shape = new GPTConfig(300, 32, 2, 4, 16, 0f, Architecture.gpt2(1e-5f));
        try (GPT base = GPT.create(shape, Device.cpu(), 5, GPT.Head.LM); GPT rm = base.copy(6, GPT.Head.SCORE)) {
            rm.put("score.b", rm.manager().create(new float[] {0.75f}));
            rm.put("score.w", rm.parameters().get("score.w").mul(10f));
            float[] ours = scores(rm);
            Path folder = DIR.resolve("reward");
            Gpt2Export.rewardModel(rm, ToyBpe.tokenizer(), folder);
            JsonNode config = JSON.readTree(folder.resolve("config.json").toFile());
            assertEquals("GPT2ForSequenceClassification", config.path("architectures").get(0).asText());
            assertEquals(1, config.path("num_labels").asInt());
            assertArrayEquals(new long[] {1, 32}, SafeTensors.header(folder.resolve("model.safetensors")).get("score.weight").shape());
            Gpt2ParityTest.assertClose(pytorch(folder, "scores"), ours, "reward");
            try (GPT back = Gpt2Checkpoint.read(folder, Device.cpu())) {
                assertTrue(back.has(GPT.Head.SCORE));
                Gpt2ParityTest.assertClose(ours, scores(back), "reward imported back");
            }
            assertThrows(UnsupportedCheckpointException.class, () -> Gpt2Model.load(folder, Device.cpu()),
                    "a reward model is no language model to generate with");
        }
    }
}
