package ai.instructflow.api.datasets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.auth.TokenIssuer;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dataset upload and export through the real REST API and the embedded S3 server. */
@QuarkusTest
class DatasetResourceTest {

    private static final String NDJSON = "application/x-ndjson";
    private static final PromptFormat FORMAT = new PromptFormat(new ByteTokenizer());

    @Inject
    AdminToken admin;

    @Inject
    TokenIssuer issuer;

    @Inject
    Platform platform;

    @Test
    void aGoodFileIsStoredUnderItsSha256AndAgainUnderTheSameKey() {
        byte[] file = """
                {"prompt": "add 2 and 3", "completion": "5"}
                {"prompt": "say hi", "completion": "hi"}

                {"prompt": "caf\u00e9?", "completion": "oui"}
                """.getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(file);

        JsonPath stored = upload("demonstrations", NDJSON, file).then().statusCode(201).extract().jsonPath();
        String key = "datasets/demonstrations/" + sha256 + ".jsonl";
        assertEquals(key, stored.getString("key"));
        assertEquals("demonstrations", stored.getString("kind"));
        assertEquals(3, stored.getInt("count"));
        assertEquals(sha256, stored.getString("sha256"));
        assertEquals(file.length, stored.getLong("bytes"));
        assertArrayEquals(file, objects().get(key));

        upload("demonstrations", "text/plain", file).then().statusCode(201).body("key", equalTo(key));
    }

    @Test
    void comparisonsMayMixRankingsAndPairs() {
        byte[] file = """
                {"prompt": "p", "responses": ["a", "b", "c", "d"], "ranks": [1, 0, 3, 2]}
                {"prompt": "q", "chosen": "yes", "rejected": "no"}
                """.getBytes(StandardCharsets.UTF_8);
        upload("comparisons", "application/jsonl", file).then().statusCode(201)
                .body("kind", equalTo("comparisons"), "count", equalTo(2),
                        "key", equalTo("datasets/comparisons/" + sha256(file) + ".jsonl"));
    }

    @Test
    void aFileWithBadLinesIsRefusedWholeWithOneFieldPerLineAndNothingStored() {
        byte[] file = """
                {"prompt": "p1", "completion": "a"}
                {"prompt": "p2", "completion": 7}
                {"prompt": "p3", "completion": "c"}
                {"prompt": "p4"
                """.getBytes(StandardCharsets.UTF_8);

        List<Map<String, String>> fields = upload("demonstrations", NDJSON, file).then().statusCode(400)
                .body("error", equalTo("invalid request")).extract().jsonPath().getList("fields");
        assertEquals(List.of("line 2", "line 4"), fields.stream().map(f -> f.get("field")).toList());
        assertEquals("\"completion\" must be a string", fields.get(0).get("reason"));
        assertFalse(objects().exists("datasets/demonstrations/" + sha256(file) + ".jsonl"));
    }

    @Test
    void anEmptyFileABadKindAndAnotherMediaTypeAreRefused() {
        upload("demonstrations", NDJSON, new byte[0]).then().statusCode(400)
                .body("fields[0].field", equalTo("$"), "fields[0].reason", containsString("no rows"));
        upload("preferences", NDJSON, "{}".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .body("fields[0].field", equalTo("kind"));
        upload("demonstrations", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).then().statusCode(415);
    }

    @Test
    void labelersCanNeitherUploadNorExport() {
        String labeler = issuer.mint("lab", Set.of("labeler"), Duration.ofMinutes(5));
        byte[] file = "{\"prompt\": \"p\", \"completion\": \"c\"}".getBytes(StandardCharsets.UTF_8);
        given().auth().oauth2(labeler).contentType(NDJSON).body(file).post("/api/v1/datasets/demonstrations")
                .then().statusCode(403);
        given().auth().oauth2(labeler).get("/api/v1/runs/any/datasets/comparisons").then().statusCode(403);
    }

    @Test
    void aRunsCollectedComparisonsExportAsStoredOrAsPairs() {
        String id = run();
        List<Comparison> train = List.of(comparison("t1", List.of("a", "b", "c", "d"), 1, 0, 2, 1),
                comparison("t2", List.of("x", "y"), 0, 1));
        List<Comparison> heldOut = List.of(comparison("h1", List.of("yes", "no", "maybe"), 2, 0, 1));
        Artifacts artifacts = new Artifacts(objects());
        String prefix = RunStore.stagePrefix(id, Stage.COLLECT_COMPARISONS);
        Artifact trainFile = artifacts.save("train", prefix + "train.jsonl", train.size(),
                out -> Datasets.writeRankings(train, FORMAT, out), NDJSON);
        Artifact heldOutFile = artifacts.save("held_out", prefix + "held_out.jsonl", heldOut.size(),
                out -> Datasets.writeRankings(heldOut, FORMAT, out), NDJSON);
        String url = "/api/v1/runs/" + id + "/datasets/comparisons";

        manifest(id, Stage.COLLECT_COMPARISONS, List.of(trainFile, heldOutFile), RunStatus.RUNNING);
        as().get(url).then().statusCode(404).body("error", containsString("collect-comparisons"));
        manifest(id, Stage.COLLECT_COMPARISONS, List.of(trainFile, heldOutFile), RunStatus.SUCCEEDED);

        Response all = as().get(url);
        all.then().statusCode(200).contentType(startsWith(NDJSON))
                .header("Content-Disposition", equalTo("attachment; filename=\"" + id + "-comparisons-all.jsonl\""));
        assertEquals(new String(objects().get(trainFile.key()), StandardCharsets.UTF_8)
                + new String(objects().get(heldOutFile.key()), StandardCharsets.UTF_8), all.asString());

        Response pairs = as().queryParam("format", "pairs").queryParam("split", "held_out").get(url);
        pairs.then().statusCode(200)
                .header("Content-Disposition", containsString(id + "-comparisons-pairs-held_out.jsonl"));
        assertEquals(List.of("h1 no>yes", "h1 maybe>yes", "h1 no>maybe"), pairs(pairs.asString()));
        assertEquals(List.of("t1 b>a", "t1 a>c", "t1 b>c", "t1 b>d", "t1 d>c", "t2 x>y"),
                pairs(as().queryParam("format", "pairs").queryParam("split", "train").get(url).then().statusCode(200)
                        .extract().asString()));
    }

    @Test
    void aRunsCollectedDemonstrationsExportByTheirSplit() {
        String id = run();
        String url = "/api/v1/runs/" + id + "/datasets/demonstrations";
        as().get(url).then().statusCode(404);
        // the run itself still answers from RunResource beside this longer root under /api/v1/runs
        as().get("/api/v1/runs/" + id).then().statusCode(200).body("id", equalTo(id));

        String prefix = RunStore.stagePrefix(id, Stage.COLLECT_DEMONSTRATIONS);
        Artifacts artifacts = new Artifacts(objects());
        List<Demonstration> train = List.of(demonstration("a", "1"), demonstration("b", "2"));
        Artifact trainFile = artifacts.save("train", prefix + "train.jsonl", 2,
                out -> Datasets.writeDemonstrations(train, FORMAT, out), NDJSON);
        Artifact evalFile = artifacts.save("eval", prefix + "eval.jsonl", 1,
                out -> Datasets.writeDemonstrations(List.of(demonstration("c", "3")), FORMAT, out), NDJSON);
        manifest(id, Stage.COLLECT_DEMONSTRATIONS, List.of(trainFile, evalFile), RunStatus.SUCCEEDED);

        assertEquals("{\"prompt\":\"c\",\"completion\":\"3\"}\n",
                as().queryParam("split", "held_out").get(url).then().statusCode(200).extract().asString());
        assertEquals(3, as().get(url).then().statusCode(200).extract().asString().lines().count());
        as().queryParam("format", "jsonl").queryParam("split", "train").get(url).then().statusCode(200)
                .header("Content-Disposition", containsString(id + "-demonstrations-train.jsonl"));
    }

    @Test
    void exportNamesEveryBadParameterAndAnswers404ForAnUnknownRun() {
        List<String> bad = as().queryParam("format", "pairs").queryParam("split", "test")
                .get("/api/v1/runs/whatever/datasets/demonstrations").then().statusCode(400)
                .extract().jsonPath().getList("fields.field");
        assertEquals(List.of("format", "split"), bad);
        as().get("/api/v1/runs/whatever/datasets/labels").then().statusCode(400).body("fields[0].field", equalTo("kind"));
        as().get("/api/v1/runs/no-such-run/datasets/comparisons").then().statusCode(404)
                .body("error", containsString("no-such-run"));
    }

    private Response upload(String kind, String contentType, byte[] body) {
        return given().auth().oauth2(admin.adminToken()).contentType(contentType).body(body)
                .post("/api/v1/datasets/" + kind);
    }

    private RequestSpecification as() {
        return given().auth().oauth2(admin.adminToken());
    }

    private ObjectStore objects() {
        return platform.runs().objects();
    }

    /** A run in the registry only: its collect stages' outputs are written by the tests, not by a workflow. */
    private String run() {
        String id = RunStore.newRunId();
        String now = RunStore.now();
        platform.runs().save(new RunRecord(id, "datasets", RunStatus.CANCELLED, now, now, now, null, null, 1));
        return id;
    }

    private void manifest(String id, Stage stage, List<Artifact> outputs, String status) {
        StageManifest manifest = new StageManifest(stage.id());
        manifest.status = status;
        manifest.artifacts = outputs;
        platform.runs().save(id, manifest);
    }

    /** Each exported pair as "prompt chosen>rejected". */
    private static List<String> pairs(String jsonl) {
        return jsonl.lines().map(line -> {
            JsonPath row = JsonPath.from(line);
            return row.getString("prompt") + " " + row.getString("chosen") + ">" + row.getString("rejected");
        }).toList();
    }

    private static Comparison comparison(String prompt, List<String> responses, int... ranks) {
        return new Comparison(FORMAT.prompt(prompt), responses.stream().map(FORMAT::response).toList(), ranks);
    }

    private static Demonstration demonstration(String prompt, String completion) {
        return new Demonstration(FORMAT.prompt(prompt), FORMAT.response(completion));
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(ObjectStore.sha256Digest().digest(bytes));
    }
}
