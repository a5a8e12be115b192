package ai.instructflow.api.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.activities.models.ModelArchive;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.api.runs.Api;
import ai.instructflow.trainer.hf.Gpt2Checkpoint;
import ai.instructflow.trainer.hf.Gpt2Export;
import ai.instructflow.trainer.hf.ModelInspection;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.workflows.Stage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A team's own base model in and aligned models out: a tiny GPT-2-shaped model with a BPE tokenizer
 * is uploaded as a zip, checked, stored content-addressed and listed; a run starts from it and
 * runs every stage through its tokenizer; the PPO policy exports in the Hugging Face layout and
 * imports again with exactly the run's weights, and the reward model exports as a classifier.
 */
@QuarkusTest
class BaseModelRunTest {

    private static final String ZIP = "application/zip";

    @Inject
    AdminToken admin;

    @Inject
    Platform platform;

    @Test
    void aRunStartsFromAnUploadedModelAndItsPolicyExportsAndImportsAgain() throws Exception {
        Api operator = new Api(admin.adminToken());
        Gpt2BpeTokenizer bpe = Gpt2BpeTokenizer.byteAlphabetWith(List.of(new String[] {"e", "r"}, new String[] {"t", "h"}));
        GPTConfig shape = new GPTConfig(bpe.vocabSize(), 32, 2, 4, 256, 0f, Architecture.gpt2(1e-5f));
        Path folder = Files.createTempDirectory("base-model-");
        try (GPT pretrained = GPT.create(shape, Device.cpu(), 7, GPT.Head.LM)) {
            Gpt2Export.policy(pretrained, bpe, folder);
        }
        byte[] zip = zip(folder);

        JsonPath stored = upload(operator, zip).then().statusCode(201).extract().jsonPath();
        String key = stored.getString("key");
        assertTrue(key.matches("models/[0-9a-f]{64}"), key);
        assertEquals(32, stored.getInt("inspection.n_embd"));
        assertEquals(bpe.vocabSize(), stored.getInt("inspection.vocab_size"));
        assertEquals(shape.parameters(), stored.getLong("inspection.parameters"));
        assertEquals(key, upload(operator, zip).then().statusCode(201).extract().path("key"), "the same folder is one model");
        assertTrue(operator.as().get("/api/v1/models").then().statusCode(200).extract().jsonPath()
                .getList("key").contains(key));
        upload(operator, new byte[] {1, 2, 3}).then().statusCode(400).body("fields[0].field", Matchers.equalTo("archive"));
        Files.delete(folder.resolve(Gpt2Checkpoint.WEIGHTS));
        upload(operator, zip(folder)).then().statusCode(400).body("fields.field", Matchers.hasItem(Gpt2Checkpoint.WEIGHTS));
        operator.as().body(Api.tiny("x", 10, ", \"base_model\": \"models/" + "0".repeat(64) + "\"")).post("/api/v1/runs")
                .then().statusCode(400).body("fields[0].field", Matchers.equalTo("base_model"));

        // a separator that is not one token of this tokenizer cannot end a response: refused before the run
        operator.as().body(Api.tiny("x", 10, ", \"base_model\": \"" + key + "\", \"prompt_format\": "
                        + "{\"bos\": true, \"separator\": \"###\", \"end_with_eos\": false}")).post("/api/v1/runs")
                .then().statusCode(400).body("fields[0].field", Matchers.equalTo("prompt_format"));
        operator.as().body(Api.tiny("x", 10, ", \"prompt_format\": {\"bos\": false, \"separator\": \"\\n\", "
                        + "\"end_with_eos\": true}")).post("/api/v1/runs")
                .then().statusCode(400).body("fields[0].field", Matchers.equalTo("prompt_format"));

        // the model's own format: no BOS, responses end with <|endoftext|>
        String run = operator.submit(Api.tiny("from-base", 10, ", \"base_model\": \"" + key + "\", \"prompt_format\": "
                + "{\"bos\": false, \"separator\": \"\\n\", \"end_with_eos\": true}"));
        JsonPath done = operator.awaitEnd(run, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("status"), done.prettify());
        List<String> completions = operator.as().body(Map.of("stage", "ppo", "prompts", List.of("upper: cat")))
                .post("/api/v1/runs/" + run + "/generate").then().statusCode(200).extract().jsonPath().getList("completions");
        assertEquals(1, completions.size());

        byte[] exported = export(operator, run, "ppo").then().statusCode(200).contentType(ZIP).extract().asByteArray();
        Path back = Files.createTempDirectory("exported-");
        ModelArchive.unpack(new ByteArrayInputStream(exported), back, 1L << 30);
        ModelInspection inspection = ModelInspection.languageModel(back);
        assertEquals(shape, inspection.shape());
        assertEquals(bpe, Gpt2BpeTokenizer.fromFolder(back), "the run's tokenizer goes with its model");
        try (GPT imported = Gpt2Checkpoint.read(back, Device.cpu()); GPT trained = ppoPolicy(run)) {
            trained.parameters().forEach((name, w) ->
                    assertArrayEquals(w.toFloatArray(), imported.parameters().get(name).toFloatArray(), name));
        }
        upload(operator, exported).then().statusCode(201).body("inspection.n_layer", Matchers.equalTo(2));

        byte[] rm = export(operator, run, "rm").then().statusCode(200).extract().asByteArray();
        Path rmFolder = Files.createTempDirectory("exported-rm-");
        ModelArchive.unpack(new ByteArrayInputStream(rm), rmFolder, 1L << 30);
        assertTrue(ModelInspection.of(rmFolder).classifier(), "the reward model is a sequence classifier");
        export(operator, run, "evaluate").then().statusCode(400).body("fields[0].field", Matchers.equalTo("stage"));
        operator.as().get("/api/v1/runs/" + run + "/models/ppo?format=onnx").then().statusCode(400)
                .body("fields[0].field", Matchers.equalTo("format"));
    }

    private GPT ppoPolicy(String run) {
        StageManifest m = platform.runs().stage(run, Stage.PPO).orElseThrow();
        String checkpoint = m.artifacts.stream().filter(a -> a.name().equals("model")).findFirst().orElseThrow().key();
        return platform.runs().objects().read(checkpoint, Checkpoint::read).model("policy/", Device.cpu());
    }

    private static io.restassured.response.Response upload(Api operator, byte[] zip) {
        return operator.as().contentType(ZIP).body(zip).post("/api/v1/models");
    }

    private static io.restassured.response.Response export(Api operator, String run, String stage) {
        return operator.as().get("/api/v1/runs/" + run + "/models/" + stage + "?format=hf");
    }

    private static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArchive.pack(folder, out);
        return out.toByteArray();
    }
}
