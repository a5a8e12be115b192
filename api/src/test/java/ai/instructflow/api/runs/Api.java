package ai.instructflow.api.runs;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Set;

/** The REST calls the run tests make, as a client would make them. */
public final class Api {

    /** Every stage does real work at this budget, in seconds. */
    static final String TINY = """
            {"name": "%s", "seed": 3,
             "demonstrations": {"count": 200},
             "sft": {"steps": %d, "batch_size": 16, "checkpoint_every": 10},
             "comparisons": {"prompts": 60, "held_out": 20, "k": 4, "labelers": 4},
             "rm": {"steps": 10, "batch_size": 8, "checkpoint_every": 5},
             "ppo": {"iterations": 3, "prompts": 100, "rollout_batch": 32, "minibatch": 16, "epochs": 2,
                     "max_new_tokens": 24, "checkpoint_every": 1},
             "evaluation": {"prompts": 40}%s}
            """;

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    private final String token;

    public Api(String token) {
        this.token = token;
    }

    public static String tiny(String name, int sftSteps, String extra) {
        return TINY.formatted(name, sftSteps, extra);
    }

    public RequestSpecification as() {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public String submit(String spec) {
        return as().body(spec).post("/api/v1/runs").then().statusCode(201).extract().path("id");
    }

    public JsonPath run(String id) {
        return as().get("/api/v1/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Polls the run until it reaches a final status; the deadline only bounds a broken run. */
    public JsonPath awaitEnd(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(id);
            if (FINAL.contains(run.getString("status"))) {
                return run;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + id + " did not end within " + timeout + ": " + run(id).prettify());
    }
}
