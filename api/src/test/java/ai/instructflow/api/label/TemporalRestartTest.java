package ai.instructflow.api.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.TestTemporal;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.runs.Api;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Temporal service goes away with two runs in flight, one training and one waiting for people,
 * and comes back empty. Both show as interrupted; resumed, the training one continues from its
 * checkpoint and the labeling one reopens its queue with the labels people had already given.
 */
@QuarkusTest
@WithTestResource(value = TestTemporal.class, scope = TestResourceScope.GLOBAL)
class TemporalRestartTest {

    private static final String HUMAN = """
            {"name": "restart-people", "labelers": "human", "demonstrations": {"count": 20}, "sft": {"steps": 5}}
            """;
    private static final String DEMONSTRATIONS = "collect-demonstrations";

    @Inject
    AdminToken admin;

    @Test
    void runsInFlightShowInterruptedAndResumeKeepingCheckpointsAndLabels() throws Exception {
        Api api = new Api(admin.adminToken());
        Api ria = new Api(LabelingCalls.mint(api, "ria"));
        String training = api.submit(Api.tiny("restart-sft", 2000, ""));
        String labeling = api.submit(HUMAN);

        LabelingCalls.awaitOpen(ria, labeling, DEMONSTRATIONS);
        for (int i = 0; i < 2; i++) {
            int task = LabelingCalls.lease(ria, labeling, DEMONSTRATIONS).then().statusCode(200).extract().path("task.id");
            LabelingCalls.submit(ria, labeling, DEMONSTRATIONS, Map.of("task_id", task, "submission_id", "before-" + task,
                    "completion", "an answer")).then().statusCode(200);
        }
        long checkpointed = awaitCheckpoint(api, training);

        TestTemporal.restart();

        assertEquals("interrupted", api.run(training).getString("status"));
        assertEquals("interrupted", api.run(labeling).getString("status"));
        api.as().post("/api/v1/runs/" + training + "/resume").then().statusCode(200);
        api.as().post("/api/v1/runs/" + labeling + "/resume").then().statusCode(200);

        JsonPath run = awaitSecondSftAttempt(api, training);
        long resumedFrom = run.getLong("stages[1].attempts[-1].resumed_from_step");
        assertTrue(resumedFrom >= checkpointed, "resumed from step " + resumedFrom + ", a checkpoint at " + checkpointed
                + " existed");

        LabelingCalls.awaitOpen(ria, labeling, DEMONSTRATIONS);
        JsonPath queue = ria.as().get("/api/v1/runs/" + labeling + "/labeling/" + DEMONSTRATIONS).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, queue.getInt("labels"), queue.prettify());
        assertEquals(2, queue.getInt("labelers.ria"));

        for (String id : new String[] {training, labeling}) {
            api.as().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200);
            assertEquals("cancelled", api.awaitEnd(id, Duration.ofMinutes(2)).getString("status"));
        }
    }

    /** Waits for SFT's first checkpoint; returns its step. The deadline only bounds a broken run. */
    private static long awaitCheckpoint(Api api, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Object step = api.run(id).get("stages[1].checkpoint_step");
            if (step != null && ((Number) step).longValue() > 0) {
                return ((Number) step).longValue();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SFT of run " + id + " wrote no checkpoint");
    }

    /** Waits until the resumed execution's SFT attempt has started from a checkpoint. */
    private static JsonPath awaitSecondSftAttempt(Api api, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = api.run(id);
            if (run.getList("stages[1].attempts").size() >= 2 && run.getLong("stages[1].attempts[-1].resumed_from_step") > 0) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SFT of run " + id + " did not resume: " + api.run(id).prettify());
    }
}
