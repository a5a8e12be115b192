package ai.instructflow.api.label;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.instructflow.api.runs.Api;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hamcrest.Matchers;

/** The labeling API as a labeler's client calls it: a token, lease, submit, and waiting for a queue to open. */
final class LabelingCalls {

    private LabelingCalls() {}

    static String mint(Api admin, String subject) {
        return admin.as().body(Map.of("subject", subject, "role", "labeler")).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
    }

    /** A labeler's token carrying a labeler group (held-out judges carry theirs). */
    static String mint(Api admin, String subject, String group) {
        return admin.as().body(Map.of("subject", subject, "role", "labeler", "group", group)).post("/api/v1/tokens")
                .then().statusCode(201).body("group", Matchers.equalTo(group)).extract().path("token");
    }

    static Response lease(Api labeler, String run, String stage) {
        return labeler.as().post("/api/v1/runs/" + run + "/labeling/" + stage + "/lease");
    }

    static Response submit(Api labeler, String run, String stage, Map<String, Object> body) {
        return labeler.as().body(new LinkedHashMap<>(body)).post("/api/v1/runs/" + run + "/labeling/" + stage + "/submissions");
    }

    /**
     * Leases and answers tasks until the queue has none left for this labeler (or has closed: 409),
     * each answer the body {@code answer} makes of the lease; returns the leases answered.
     */
    static List<JsonPath> answerAll(Api labeler, String run, String stage, Function<JsonPath, Map<String, Object>> answer) {
        List<JsonPath> answered = new ArrayList<>();
        while (true) {
            JsonPath leased = lease(labeler, run, stage).then().statusCode(Matchers.oneOf(200, 409)).extract().jsonPath();
            if (leased.get("task") == null) {
                return answered;
            }
            Map<String, Object> body = new LinkedHashMap<>(answer.apply(leased));
            body.put("task_id", leased.getInt("task.id"));
            body.put("submission_id", stage + "-" + leased.getInt("task.id"));
            submit(labeler, run, stage, body).then().statusCode(200);
            answered.add(leased);
        }
    }

    /** Waits for the stage's queue to open: the stage before it trains first. The deadline only bounds a broken run. */
    static void awaitOpen(Api labeler, String run, String stage) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Response queue = labeler.as().get("/api/v1/runs/" + run + "/labeling/" + stage);
            if (queue.statusCode() == 200 && Boolean.TRUE.equals(queue.jsonPath().get("open"))) {
                assertNotNull(queue.jsonPath().get("quota"));
                assertFalse(queue.jsonPath().getMap("labelers").containsKey("nobody"));
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the " + stage + " queue of run " + run + " never opened");
    }
}
