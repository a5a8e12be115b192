package ai.instructflow.api.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.platform.Platform;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a careless or hostile caller sends gets a 4xx naming what is wrong, never a 500; nothing of
 * it is stored; and the server goes on serving. Run ids that are paths, keys that climb out of the
 * bucket, numbers that overflow or come as strings, text with NUL or lone surrogates, lists and
 * strings past their bounds, labels for tasks not held.
 */
@QuarkusTest
class HostileInputTest {

    /** Where a queue waits for people: the labeling routes' cases run against it ({RUN} in a path). */
    private static final String HUMAN_RUN = """
            {"name": "hostile", "labelers": "human", "demonstrations": {"count": 20}, "sft": {"steps": 5}}
            """;
    private static final String JSONL = "application/x-ndjson";
    private static final String QUEUE = "/api/v1/runs/{RUN}/labeling/collect-demonstrations";

    private static String humanRun;
    /** Who cancels the run at the end, and where: by then RestAssured no longer points at the test server. */
    private static String cleanupToken;
    private static String cleanupServer;

    @Inject
    AdminToken admin;

    @Inject
    Platform platform;

    @TestHTTPResource("/")
    URL server;

    static Stream<Arguments> requests() {
        return Stream.of(
                // run ids and keys that are paths
                json("GET", "/api/v1/runs/..", null, 404, null),
                json("GET", "/api/v1/runs/a.b/report", null, 404, null),
                json("GET", "/api/v1/runs/%00", null, 404, null),
                json("GET", "/api/v1/runs/..%2F..%2Fetc/artifacts", null, 404, null),
                json("POST", "/api/v1/runs/../cancel", null, 404, null),
                json("POST", "/api/v1/runs/x%00y/resume", null, 404, null),
                json("GET", "/api/v1/runs/.../metrics", null, 404, null),
                json("GET", "/api/v1/runs/20261201-000000-zzzzzz/models/ppo?format=hf", null, 404, null),
                json("POST", "/api/v1/runs/../labeling/collect-demonstrations/lease", null, 404, null),
                json("POST", "/api/v1/runs/%2e%2e/generate", "{\"stage\": \"sft\", \"prompts\": [\"x\"]}", 404, null),
                json("GET", "/api/v1/runs/20261201-000000-zzzzzz/datasets/demonstrations", null, 404, null),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"../x\"}", 400, "base_checkpoint"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"/etc/passwd\"}", 400, "base_checkpoint"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_checkpoint\": \"runs/./a\"}", 400, "base_checkpoint"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"demonstrations\": {\"dataset\": \"a/../../b\"}}", 400,
                        "demonstrations.dataset"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"prompts\": {\"dataset\": \"a\\u0000b\"}}", 400,
                        "prompts.dataset"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_model\": \"models/../x\"}", 400, "base_model"),
                json("POST", "/api/v1/models", "{\"folder\": \"../x\"}", 400, "folder"),
                json("POST", "/api/v1/models", "{\"folder\": \"a//b\"}", 400, "folder"),
                // keys that name nothing
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"base_model\": \"models/" + "0".repeat(64) + "\"}", 400,
                        "base_model"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"demonstrations\": {\"dataset\": \"datasets/none.jsonl\"}}",
                        400, "demonstrations.dataset"),
                json("POST", "/api/v1/models", "{\"folder\": \"\"}", 400, "folder"),
                json("POST", "/api/v1/models", "{\"folder\": \"nothing-here/\"}", 400, "folder"),
                // bodies of the wrong shape
                json("POST", "/api/v1/runs", "null", 400, "$"),
                json("POST", "/api/v1/runs", "", 400, "$"),
                json("POST", "/api/v1/runs", "[]", 400, "$"),
                json("POST", "/api/v1/runs", "\"x\"", 400, "$"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\"", 400, "$"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"sft\": " + "[".repeat(5000) + "]".repeat(5000) + "}", 400,
                        "$"),
                json("POST", "/api/v1/tokens", "null", 400, "$"),
                json("POST", "/api/v1/models", "{\"folder\": 5}", 400, "folder"),
                // no coercion: numbers are numbers, strings are strings
                json("POST", "/api/v1/runs", "{\"name\": 123}", 400, "name"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"sft\": {\"steps\": 1.5}}", 400, "sft.steps"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"sft\": {\"steps\": \"10\"}}", 400, "sft.steps"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"seed\": \"1\"}", 400, "seed"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"cache\": \"yes\"}", 400, "cache"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"cache\": 1}", 400, "cache"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"demonstrations\": {\"count\": \"\"}}", 400,
                        "demonstrations.count"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"sft\": {\"lr\": []}}", 400, "sft.lr"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"sft\": {\"steps\": 99999999999}}", 400, "sft.steps"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"x\", \"role\": \"labeler\", \"ttl_hours\": \"5\"}", 400,
                        "ttl_hours"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"x\", \"role\": \"labeler\", \"ttl_hours\": 1.5}", 400,
                        "ttl_hours"),
                json("POST", "/api/v1/tokens", "{\"subject\": 7, \"role\": \"labeler\"}", 400, "subject"),
                // text with NUL or a lone surrogate, which has no UTF-8 form
                json("POST", "/api/v1/runs", "{\"name\": \"a\\u0000b\"}", 400, "name"),
                json("POST", "/api/v1/runs", "{\"name\": \"\\ud800\"}", 400, "name"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"a\\u0000b\", \"role\": \"labeler\"}", 400, "subject"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"\\udc00x\", \"role\": \"labeler\"}", 400, "subject"),
                body("POST", "/api/v1/datasets/demonstrations", JSONL, "{\"prompt\": \"p\", \"completion\": \"b\\u0000\"}",
                        400, "line 1"),
                body("POST", "/api/v1/datasets/comparisons", JSONL,
                        "{\"prompt\": \"p\\ud800\", \"chosen\": \"a\", \"rejected\": \"b\"}", 400, "line 1"),
                body("POST", "/api/v1/datasets/prompts", JSONL, "{\"prompt\": \"p\\u0000\"}", 400, "line 1"),
                // values out of their range or set
                json("POST", "/api/v1/runs", "{\"name\": \"\"}", 400, "name"),
                json("POST", "/api/v1/runs", "{\"name\": \"" + "n".repeat(101) + "\"}", 400, "name"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"faults\": [" + "\"rm\",".repeat(2000) + "\"rm\"]}", 400,
                        "faults"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"faults\": [\"nowhere\"]}", 400, "faults[0]"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"preset\": \"huge\"}", 400, "preset"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"resources\": \"tpu\"}", 400, "resources"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"labelers\": \"robots\"}", 400, "labelers"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"seed\": -1}", 400, "seed"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"comparisons\": {\"k\": 100}}", 400, "comparisons.k"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"evaluation\": {\"overlap\": 0}}", 400, "evaluation.overlap"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"evaluation\": {\"group\": \"../judges\"}}", 400,
                        "evaluation.group"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"evaluation\": {\"judges\": \"robots\"}}", 400,
                        "evaluation.judges"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"ppo\": {\"clip\": 5}}", 400, "ppo.clip"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"ppo\": {\"guard\": {\"drop\": 2}}}", 400, "ppo.guard.drop"),
                json("POST", "/api/v1/runs", "{\"name\": \"x\", \"stepz\": 1}", 400, "stepz"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"x\", \"role\": \"root\"}", 400, "role"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"x\", \"role\": \"labeler\", \"ttl_hours\": 0}", 400, "ttl_hours"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"x\", \"role\": \"labeler\", \"group\": \"../x\"}", 400, "group"),
                json("POST", "/api/v1/tokens", "{\"subject\": \"" + "s".repeat(201) + "\", \"role\": \"labeler\"}", 400,
                        "subject"),
                // query strings
                json("GET", "/api/v1/runs?page=1073741823&size=3", null, 200, null),
                json("GET", "/api/v1/runs?page=-1", null, 400, "page"),
                json("GET", "/api/v1/runs?page=x", null, 400, "page"),
                json("GET", "/api/v1/runs?page=99999999999", null, 400, "page"),
                json("GET", "/api/v1/runs?size=abc", null, 400, "size"),
                json("GET", "/api/v1/runs?size=0", null, 400, "size"),
                json("GET", "/api/v1/runs?size=201", null, 400, "size"),
                json("GET", "/api/v1/runs?status=bogus", null, 400, "status"),
                json("GET", "/api/v1/runs/{RUN}/metrics?stage=bogus", null, 400, "stage"),
                json("GET", "/api/v1/runs/{RUN}/datasets/demonstrations?split=bogus", null, 400, "split"),
                json("GET", "/api/v1/runs/{RUN}/datasets/bogus", null, 400, "kind"),
                json("GET", "/api/v1/runs/{RUN}/models/sft?format=onnx", null, 400, "format"),
                // uploads
                body("POST", "/api/v1/datasets/nonsense", JSONL, "{\"prompt\": \"p\"}", 400, "kind"),
                body("POST", "/api/v1/datasets/comparisons", JSONL,
                        "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"ranks\": [1, 1]}", 400, "line 1"),
                body("POST", "/api/v1/datasets/comparisons", JSONL,
                        "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"ranks\": [\"0\", \"1\"]}", 400, "line 1"),
                body("POST", "/api/v1/datasets/prompts", JSONL, "", 400, "$"),
                body("POST", "/api/v1/datasets/prompts", JSONL, "not json", 400, "line 1"),
                body("POST", "/api/v1/datasets/demonstrations", JSONL,
                        "{\"prompt\": \"p\", \"completion\": \"" + "c".repeat(4001) + "\"}", 400, "line 1"),
                body("POST", "/api/v1/models", "application/zip", "PK not a zip", 400, "archive"),
                // labeling: answers of the wrong kind or shape, tasks not held, ids past their bounds
                json("GET", "/api/v1/runs/{RUN}/labeling/bogus", null, 400, "stage"),
                json("POST", "/api/v1/runs/{RUN}/labeling/collect-comparisons/lease", null, 404, null),
                json("POST", QUEUE + "/submissions", "null", 400, "task_id"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": \"0\", \"submission_id\": \"s\", \"completion\": \"x\"}",
                        400, "task_id"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\\u0000\", \"completion\": \"x\"}",
                        400, "submission_id"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"" + "s".repeat(101)
                        + "\", \"completion\": \"x\"}", 400, "submission_id"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\", \"completion\": \"a\\u0000\"}",
                        400, "completion"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\", \"completion\": \""
                        + "c".repeat(4001) + "\"}", 400, "completion"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\", \"completion\": \"x\", "
                        + "\"ranks\": [0, 1]}", 400, "ranks"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\", \"ranks\": [\"1\"]}", 400,
                        "ranks[0]"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 0, \"submission_id\": \"s\", \"ranks\": ["
                        + "0,".repeat(100_000) + "0]}", 400, "ranks"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 99999, \"submission_id\": \"s\", \"completion\": \"x\"}",
                        400, "task_id"),
                json("POST", QUEUE + "/submissions", "{\"task_id\": 1, \"submission_id\": \"s\", \"completion\": \"x\"}",
                        409, null),
                json("POST", "/api/v1/runs/{RUN}/generate", "{\"stage\": \"rm\", \"prompts\": [\"x\"]}", 400, "stage"),
                json("POST", "/api/v1/runs/{RUN}/generate", "{\"stage\": \"sft\", \"prompts\": [\"x\"], \"max_tokens\": 1000000}",
                        400, "max_tokens"),
                json("POST", "/api/v1/runs/{RUN}/generate", "{\"stage\": \"sft\", \"prompts\": [\"x\"], \"temperature\": \"hot\"}",
                        400, "temperature"),
                json("POST", "/api/v1/runs/{RUN}/generate", "null", 400, "$"));
    }

    private static Arguments json(String method, String path, String body, int status, String field) {
        return body(method, path, "application/json", body, status, field);
    }

    private static Arguments body(String method, String path, String contentType, String body, int status, String field) {
        return Arguments.of(method, path, contentType, body, status, field);
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("requests")
    void refusedWithTheReasonAndNothingStored(String method, String path, String contentType, String body, int status,
                                              String field) throws InterruptedException {
        Api api = new Api(admin.adminToken());
        String target = path.replace("{RUN}", humanRun(api));
        Set<String> before = stored();
        var request = api.as().urlEncodingEnabled(false).contentType(contentType);
        if (body != null) {
            request.body(body.getBytes(StandardCharsets.UTF_8));
        }
        Response response = request.request(method, target);
        String said = response.asString();
        assertEquals(status, response.statusCode(), method + " " + target + ": " + said);
        if (field != null) {
            response.then().body("fields.field", Matchers.hasItem(field));
        }
        assertTrue(!said.contains("Exception") && !said.contains("\tat "), said);
        assertEquals(before, stored(), "a refused request stored something");
        api.as().get("/api/v1/runs?size=1").then().statusCode(200);
    }

    /** Declared larger than the server takes: refused from the header alone, with a body that says why. */
    @Test
    void aBodyTooLargeIsRefusedWithAnError() throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/datasets/prompts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + admin.adminToken() + "\r\nContent-Type: " + JSONL + "\r\nContent-Length: " + (1L << 40)
                    + "\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"error\":\"the request body is " + (1L << 40) + " bytes, more than the "), answer);
        }
        new Api(admin.adminToken()).as().get("/api/v1/runs?size=1").then().statusCode(200);
    }

    /**
     * What a refused request could have written: a run (a new id under runs/), a dataset, a model, or
     * anything of the run whose queue waits (a label, say). Other runs' stages, still at work, are left out.
     */
    private Set<String> stored() {
        ObjectStore objects = platform.runs().objects();
        Set<String> keys = new TreeSet<>();
        keys.addAll(objects.list("datasets/"));
        keys.addAll(objects.list("models/"));
        keys.addAll(objects.list("runs/" + humanRun + "/"));
        keys.addAll(objects.folders("runs/"));
        return keys;
    }

    /** The run whose demonstrations queue the labeling cases use, started once and waited on until its queue opens. */
    private synchronized String humanRun(Api api) throws InterruptedException {
        if (humanRun == null) {
            String id = api.submit(HUMAN_RUN);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (api.as().get(QUEUE.replace("{RUN}", id)).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the queue of run " + id + " did not open");
                Thread.sleep(100);
            }
            humanRun = id;
            cleanupToken = admin.adminToken();
            cleanupServer = server.toString();
        }
        return humanRun;
    }

    @AfterAll
    static void cancelTheHumanRun() {
        if (humanRun != null) {
            RestAssured.given().baseUri(cleanupServer).auth().oauth2(cleanupToken)
                    .post("/api/v1/runs/" + humanRun + "/cancel").then().statusCode(200);
        }
    }
}
