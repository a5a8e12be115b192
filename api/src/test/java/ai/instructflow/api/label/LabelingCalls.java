package ai.instructflow.api.label;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.instructflow.api.runs.Api;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labeling API as a labeler's client calls it: a token, lease, submit, and waiting for a queue to open. */
final class LabelingCalls {

    private LabelingCalls() {}

    static String mint(Api admin, String subject) {
        return admin.as().body(Map.of("subject", subject, "role", "labeler")).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
    }

    static Response lease(Api labeler, String run, String stage) {
        return labeler.as().post("/api/v1/runs/" + run + "/labeling/" + stage + "/lease");
    }

    static Response submit(Api labeler, String run, String stage, Map<String, Object> body) {
        return labeler.as().body(new LinkedHashMap<>(body)).post("/api/v1/runs/" + run + "/labeling/" + stage + "/submissions");
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
