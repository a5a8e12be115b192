package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.tokenizer.ToyBpe;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Folders the loader cannot honour are refused with every problem, each naming its field or tensor. */
class Gpt2CheckpointTest {

    static final Path DIR = Path.of("target/gpt2-refusals");
    static final ObjectMapper JSON = new ObjectMapper();
    static final GPTConfig SHAPE = new GPTConfig(300, 16, 2, 2, 8, 0f, Architecture.gpt2(1e-5f));

    /** A valid exported folder, then {@code config} and {@code tensors} edits applied to it. */
    static Path folder(String name, Consumer<ObjectNode> config, Consumer<Map<String, NDArray>> tensors) throws Exception {
        Path dir = DIR.resolve(name);
        if (Files.exists(dir)) {
            // a fresh folder each run: an earlier run's edits (a renamed shard) must not leak in
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (GPT model = GPT.create(SHAPE, Device.cpu(), 1, GPT.Head.LM)) {
            Gpt2Export.policy(model, ToyBpe.tokenizer(), dir);
        }
        ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        config.accept(json);
        JSON.writeValue(dir.resolve("config.json").toFile(), json);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> weights = new LinkedHashMap<>(SafeTensors.read(dir.resolve("model.safetensors"), m));
            tensors.accept(weights);
            SafeTensors.write(dir.resolve("model.safetensors"), weights);
        }
        return dir;
    }

    static List<String> problems(Path dir) {
        UnsupportedCheckpointException e = assertThrows(UnsupportedCheckpointException.class, () -> Gpt2Checkpoint.check(dir));
        return e.problems().stream().map(UnsupportedCheckpointException.Problem::toString).toList();
    }

    static void assertNamed(List<String> problems, String... subjects) {
        assertEquals(subjects.length, problems.size(), problems.toString());
        for (String s : subjects) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(s)), s + " not named in " + problems);
        }
    }

    @Test
    void anExportedFolderPassesAndItsShapeIsTheConfigs() throws Exception {
        Path dir = folder("valid", c -> {}, t -> {});
        Gpt2Checkpoint.Contents contents = Gpt2Checkpoint.check(dir);
        assertEquals(SHAPE, contents.config().shape());
        assertEquals(false, contents.config().classifier());
    }

    @Test
    void everyConfigFieldItCannotHonourIsNamed() throws Exception {
        Path dir = folder("config", c -> {
            c.put("model_type", "llama");
            c.put("n_head", 3);
            c.put("activation_function", "relu");
            c.remove("n_layer");
            c.put("scale_attn_by_inverse_layer_idx", true);
        }, t -> {});
        assertNamed(problems(dir), "config.json: model_type", "config.json: n_head", "config.json: activation_function",
                "config.json: n_layer", "config.json: scale_attn_by_inverse_layer_idx");
    }

    @Test
    void missingMisshapenAndUnknownTensorsAreNamedWhileMaskBuffersAreIgnored() throws Exception {
        Path dir = folder("tensors", c -> {}, t -> {
            NDManager m = t.values().iterator().next().getManager();
            t.remove("transformer.h.1.mlp.c_fc.bias");
            t.put("transformer.wpe.weight", m.zeros(new Shape(9, 16)));
            t.put("transformer.h.0.crossattention.c_attn.weight", m.zeros(new Shape(16, 48)));
            t.put("transformer.h.0.attn.bias", m.ones(new Shape(1, 1, 8, 8)));
            t.put("transformer.h.0.attn.masked_bias", m.ones(new Shape()));
        });
        assertNamed(problems(dir), "tensor h.1.mlp.c_fc.bias", "tensor transformer.wpe.weight",
                "tensor transformer.h.0.crossattention.c_attn.weight");
    }

    @Test
    void aFolderWithoutSafetensorsOrWithAMissingShardIsRefused() throws Exception {
        Path empty = DIR.resolve("no-weights");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_embd\": 16, \"n_layer\": 2,"
                + " \"n_head\": 2, \"n_positions\": 8, \"vocab_size\": 300}");
        Files.writeString(empty.resolve("pytorch_model.bin"), "pickle");
        List<String> problems = problems(empty);
        assertNamed(problems, "model.safetensors");
        assertTrue(problems.get(0).contains("pytorch_model.bin"), problems.toString());

        Path sharded = folder("missing-shard", c -> {}, t -> {});
        Files.move(sharded.resolve("model.safetensors"), sharded.resolve("model-00001-of-00002.safetensors"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"weight_map\": {"
                + "\"transformer.wte.weight\": \"model-00001-of-00002.safetensors\","
                + "\"transformer.wpe.weight\": \"model-00002-of-00002.safetensors\"}}");
        assertNamed(problems(sharded), "model.safetensors.index.json");
    }

    @Test
    void aClassifierWithTwoLabelsIsNotARewardModel() throws Exception {
        Path dir = folder("two-labels", c -> {
            c.putArray("architectures").add("GPT2ForSequenceClassification");
            c.put("num_labels", 2);
        }, t -> {});
        List<String> problems = problems(dir);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("config.json: num_labels")), problems.toString());
    }
}
