package ai.instructflow.api.runs;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.auth.TokenIssuer;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.workflows.Stage;
import io.quarkus.test.junit.QuarkusTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs through the real REST API, the embedded Temporal service, the S3 server and the in-process
 * worker: no part is mocked.
 */
@QuarkusTest
class RunApiTest {

    private static final List<String> STAGES = List.of("collect-demonstrations", "sft", "collect-comparisons", "rm",
            "ppo", "evaluate");

    @Inject
    AdminToken admin;

    @Inject
    TokenIssuer issuer;

    @Inject
    Platform platform;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(admin.adminToken());
    }

    @Test
    void aTinyRunCompletesEveryStageWithVerifiedArtifacts() throws Exception {
        String id = api.submit(Api.tiny("tiny-e2e", 30, ""));
        // the stored spec says every setting that ran, the ones nobody set included
        JsonPath spec = api.run(id);
        assertEquals(0.2f, spec.getFloat("spec.ppo.clip"));
        assertEquals(0.95f, spec.getFloat("spec.sft.adam.beta2"));
        assertEquals(3, spec.getInt("spec.sft.warmup_steps"), "a tenth of 30 steps");
        JsonPath run = api.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(STAGES, run.getList("stages.stage"));
        assertEquals(List.of("succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded"),
                run.getList("stages.status"));
        assertTrue(run.getDouble("summary.win_rate") >= 0, "summary has the win rate");
        assertTrue(run.getDouble("timing.orchestration_overhead") >= 0);

        // every artifact downloads through its presigned URL with the sha256 the manifest recorded
        List<Map<String, Object>> artifacts = api.as().get("/api/v1/runs/" + id + "/artifacts")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertTrue(artifacts.size() >= 10, "datasets, models, metrics and the report: " + artifacts.size());
        Set<String> stagesWithArtifacts = new java.util.HashSet<>();
        HttpClient http = HttpClient.newHttpClient();
        for (Map<String, Object> a : artifacts) {
            byte[] body = http.send(HttpRequest.newBuilder(URI.create((String) a.get("url"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(a.get("sha256"), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                    "artifact " + a.get("key"));
            stagesWithArtifacts.add((String) a.get("stage"));
        }
        assertEquals(Set.copyOf(STAGES), stagesWithArtifacts);

        // the playground answers from both models the run produced
        for (String stage : List.of("sft", "ppo")) {
            api.as().body(Map.of("stage", stage, "prompts", List.of("length of abc", "upper: cat"), "temperature", 0,
                            "max_tokens", 16))
                    .post("/api/v1/runs/" + id + "/generate").then().statusCode(200)
                    .body("completions", hasSize(2)).body("stage", equalTo(stage));
        }
        api.as().get("/api/v1/runs/" + id + "/report").then().statusCode(200)
                .body("run_id", equalTo(id)).body("stages.ppo", equalTo("succeeded"))
                .body("$", org.hamcrest.Matchers.hasKey("win_rate")).body("$", org.hamcrest.Matchers.hasKey("rm_accuracy"));
        api.as().get("/api/v1/runs?status=succeeded").then().statusCode(200).body("runs.id", hasItems(id));

        // a report changed in the bucket after its stage recorded it is refused, never served
        platform.runs().objects().put("runs/" + id + "/evaluate/report.json",
                "{\"win_rate\": 0.99}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        api.as().get("/api/v1/runs/" + id + "/report").then().statusCode(500)
                .body("error", equalTo("internal error")).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("win_rate")));
    }

    @Test
    void aFailedStageNamesItselfAndAResumeReusesTheCompletedStages() throws Exception {
        String id = api.submit(Api.tiny("fault-e2e", 30, ", \"faults\": [\"rm\"]"));
        JsonPath failed = api.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("failed", failed.getString("status"));
        assertEquals("rm", failed.getString("failed_stage"));
        assertTrue(failed.getString("error").contains("fault injected"), failed.getString("error"));

        api.as().post("/api/v1/runs/" + id + "/resume").then().statusCode(200).body("status", equalTo("running"));
        api.as().post("/api/v1/runs/" + id + "/resume").then().statusCode(409);
        JsonPath resumed = api.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", resumed.getString("status"), resumed.prettify());
        assertEquals(2, resumed.getInt("executions"));
        for (int i = 0; i < 3; i++) {
            // the stages before the fault: same attempts, same artifacts, nothing recomputed
            assertEquals(failed.getList("stages[" + i + "].attempts"), resumed.getList("stages[" + i + "].attempts"),
                    STAGES.get(i));
            assertEquals(failed.getList("stages[" + i + "].artifacts"), resumed.getList("stages[" + i + "].artifacts"),
                    STAGES.get(i));
        }
        assertEquals(List.of("failed", "succeeded"), resumed.getList("stages[3].attempts.status"));

        // the run's timing is both executions': the failed one's wall time and stage time are still in it
        double firstWall = failed.getDouble("timing.wall_seconds");
        double latestWall = Duration.between(Instant.parse(resumed.getString("started_at")),
                Instant.parse(resumed.getString("finished_at"))).toMillis() / 1e3;
        assertEquals(firstWall + latestWall, resumed.getDouble("timing.wall_seconds"), 0.01, resumed.prettify());
        assertTrue(resumed.getDouble("timing.activity_seconds") > failed.getDouble("timing.activity_seconds"));
    }

    @Test
    void aCancelledRunStopsBetweenStepsAndResumesFromItsCheckpoint() throws Exception {
        String id = api.submit(Api.tiny("cancel-e2e", 2000, ""));
        long checkpoint = cancelDuringSft(id);
        api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(409);

        JsonPath run = resumeSft(id, checkpoint);
        assertEquals(checkpoint, run.getLong("stages[1].attempts[1].resumed_from_step"));
        api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
        assertEquals("cancelled", api.awaitEnd(id, Duration.ofMinutes(2)).getString("status"));
    }

    /**
     * A stage's live step and metrics come from its heartbeats, which Temporal keeps outside the run's
     * history: watching a run neither grows that history nor has a worker replay it. Progress sent as
     * signals did both, four events every two seconds.
     */
    @Test
    void aRunningStageShowsItsProgressWithoutAddingToTheRunsHistory() throws Exception {
        String id = api.submit(Api.tiny("progress-e2e", 2000, ""));
        JsonPath run = awaitSftStep(id, 1);
        assertEquals("sft", run.getString("stage"), run.prettify());
        assertEquals(2000, run.getLong("stages[1].total"));
        assertTrue(!run.getMap("stages[1].metrics").isEmpty(), "the latest step's metrics: " + run.prettify());
        int events = platform.client().fetchHistory(id).getEvents().size();
        long step = run.getLong("stages[1].step");
        JsonPath later = awaitSftStep(id, step + 20);
        assertTrue(later.getLong("stages[1].step") >= step + 20, later.prettify());
        List<HistoryEvent> history = platform.client().fetchHistory(id).getEvents();
        assertEquals(events, history.size(),
                "SFT stepped from " + step + " to " + later.getLong("stages[1].step") + " without a history event");
        assertTrue(history.stream().noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
                "no progress signals");
        api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
        assertEquals("cancelled", api.awaitEnd(id, Duration.ofMinutes(2)).getString("status"));
    }

    /** The run once its SFT stage has reached {@code step}, or as it is after a minute. */
    private JsonPath awaitSftStep(String id, long step) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonPath run = api.run(id);
        while (run.getLong("stages[1].step") < step && System.nanoTime() < deadline) {
            Thread.sleep(200);
            run = api.run(id);
        }
        return run;
    }

    /** A checkpoint whose bytes changed in storage is found out by its sha256 and passed over for the one before. */
    @Test
    void aCorruptCheckpointIsPassedOverForTheOneBeforeIt() throws Exception {
        String id = api.submit(Api.tiny("corrupt-e2e", 2000, ""));
        long checkpoint = cancelDuringSft(id);
        StageManifest sft = platform.runs().stage(id, Stage.SFT).orElseThrow();
        String latest = sft.checkpoint.key();
        String earlier = sft.earlierCheckpoints.get(0).key();
        byte[] bytes = platform.runs().objects().get(latest);
        bytes[bytes.length / 2] ^= 0x40;
        platform.runs().objects().put(latest, bytes, "application/octet-stream");

        JsonPath run = resumeSft(id, checkpoint);
        long earlierStep = Long.parseLong(earlier.replaceAll(".*step-0*(\\d+)\\.ckpt", "$1"));
        assertTrue(earlierStep < checkpoint, earlier);
        assertEquals(earlierStep, run.getLong("stages[1].attempts[1].resumed_from_step"), run.prettify());
        assertEquals(List.of(latest), run.getList("stages[1].attempts[1].corrupt_checkpoints"));
        api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
        assertEquals("cancelled", api.awaitEnd(id, Duration.ofMinutes(2)).getString("status"));
    }

    /** Cancels the run once SFT is past step 15; returns the step of the checkpoint the cancel made. */
    private long cancelDuringSft(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (api.run(id).getLong("stages[1].step") < 15 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
        JsonPath cancelled = api.awaitEnd(id, Duration.ofMinutes(2));
        assertEquals("cancelled", cancelled.getString("status"));
        assertEquals("cancelled", cancelled.getString("stages[1].status"));
        long checkpoint = cancelled.getLong("stages[1].checkpoint_step");
        assertTrue(checkpoint >= 15, "SFT checkpointed where it stopped: " + checkpoint);
        return checkpoint;
    }

    /** Resumes the run and waits until its second SFT attempt has stepped; the run is then cancelled again to stay short. */
    private JsonPath resumeSft(String id, long checkpoint) throws InterruptedException {
        api.as().post("/api/v1/runs/" + id + "/resume").then().statusCode(200);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonPath run = api.run(id);
        while ((run.getList("stages[1].attempts").size() < 2 || run.getLong("stages[1].step") <= checkpoint)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            run = api.run(id);
        }
        return run;
    }

    @Test
    void badSpecsAreRefusedNamingEveryField() {
        api.as().body("{}").post("/api/v1/runs").then().statusCode(400)
                .body("fields.field", hasItems("name"));
        api.as().body("{\"name\": \"x\", \"preset\": \"huge\", \"sft\": {\"steps\": 0}, \"comparisons\": {\"k\": 12}}")
                .post("/api/v1/runs").then().statusCode(400)
                .body("fields.field", hasItems("preset", "sft.steps", "comparisons.k"));
        api.as().body("{\"name\": \"x\", \"sft\": {\"stepz\": 5}}").post("/api/v1/runs").then().statusCode(400)
                .body("fields[0].field", containsString("stepz"));
        api.as().body("{\"name\": \"x\", \"base_checkpoint\": \"nowhere/model.ckpt\"}").post("/api/v1/runs").then()
                .statusCode(400).body("fields.field", hasItems("base_checkpoint"));
        api.as().get("/api/v1/runs/no-such-run").then().statusCode(404).body("error", containsString("no-such-run"));
        api.as().get("/api/v1/runs?size=0").then().statusCode(400).body("fields.field", hasItems("size"));
        // the binding coerces nothing: a number is no name, a fraction no step count
        api.as().body("{\"name\": 123}").post("/api/v1/runs").then().statusCode(400)
                .body("fields[0].field", equalTo("name"), "fields[0].reason", equalTo("expected a string"));
        api.as().body("{\"name\": \"x\", \"sft\": {\"steps\": 1.5}}").post("/api/v1/runs").then().statusCode(400)
                .body("fields[0].field", equalTo("sft.steps"), "fields[0].reason", equalTo("expected an integer"));
        api.as().body("{\"name\": \"x\", \"ppo\": {\"clip\": 0, \"adam\": {\"beta2\": 2}}}").post("/api/v1/runs")
                .then().statusCode(400).body("fields.field", equalTo(List.of("ppo.clip", "ppo.adam.beta2")));
        // the method is one of its names; the dpo section is checked like the other trainers'
        api.as().body("{\"name\": \"x\", \"method\": \"sgd\"}").post("/api/v1/runs").then().statusCode(400)
                .body("fields[0].field", equalTo("method"));
        api.as().body("{\"name\": \"x\", \"method\": 1}").post("/api/v1/runs").then().statusCode(400)
                .body("fields[0].field", equalTo("method"));
        api.as().body("{\"name\": \"x\", \"method\": \"dpo\", \"dpo\": {\"beta\": 0, \"steps\": 0}}").post("/api/v1/runs")
                .then().statusCode(400).body("fields.field", equalTo(List.of("dpo.steps", "dpo.beta")));
    }

    @Test
    void theStagesSayWhatTheyMeasure() {
        JsonPath stages = api.as().get("/api/v1/stages").then().statusCode(200).extract().jsonPath();
        // every stage there is, DPO's too (a PPO run, as here, does not run it)
        assertEquals(List.of("collect-demonstrations", "sft", "collect-comparisons", "rm", "ppo", "dpo", "evaluate"),
                stages.getList("stage"));
        assertEquals(List.of(false, true, true, true, true, true, true), stages.getList("uses_model"));
        assertEquals(Map.of("key", "reward_margin", "label", "reward margin", "format", "number",
                        "gauge", "instructflow_dpo_reward_margin",
                        "help", "Mean beta * log-ratio margin of the chosen over the rejected response in the latest batch",
                        "chart", Map.of("id", "dpo-margin", "title", "DPO · implicit reward margin, chosen - rejected"),
                        "highlighted", true),
                stages.getMap("find { it.stage == 'dpo' }.metrics.find { it.key == 'reward_margin' }"));
        assertEquals(Map.of("key", "eval_loss", "label", "eval loss", "format", "number",
                        "gauge", "instructflow_training_eval_loss",
                        "help", "SFT loss on held-out demonstrations at the latest evaluation",
                        "chart", Map.of("id", "sft-loss", "title", "SFT · loss"), "highlighted", true,
                        "summary", "sft_eval_loss", "summary_label", "SFT eval loss"),
                stages.getMap("find { it.stage == 'sft' }.metrics.find { it.key == 'eval_loss' }"));
        assertEquals("percent", stages.getString("find { it.stage == 'evaluate' }.metrics.find { it.key == 'win_rate' }.format"));
    }

    @Test
    void readinessReportsTemporalAndObjectStorage() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.temporal_up", equalTo(true)).body("checks[0].data.object_storage_up", equalTo(true));
    }

    @Test
    void runControlNeedsAnOperatorToken() {
        RestAssured.given().get("/api/v1/runs").then().statusCode(401);
        String labeler = issuer.mint("lab", Set.of("labeler"), Duration.ofMinutes(5));
        new Api(labeler).as().get("/api/v1/runs").then().statusCode(403);
        String operator = issuer.mint("op", Set.of("operator"), Duration.ofMinutes(5));
        assertNotNull(new Api(operator).as().get("/api/v1/runs").then().statusCode(200).extract().path("runs"));
    }
}
