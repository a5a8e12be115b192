package ai.instructflow.api.label;

import static ai.instructflow.api.label.LabelingCalls.awaitOpen;
import static ai.instructflow.api.label.LabelingCalls.lease;
import static ai.instructflow.api.label.LabelingCalls.mint;
import static ai.instructflow.api.label.LabelingCalls.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.runs.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A team's own round: its prompt file uploaded, people labeling it through the REST API, and a
 * report that says no one judged the run and gives the proxies instead. Held-out prompts never
 * reach a training set.
 */
@QuarkusTest
class TeamPromptsRunTest {

    private static final List<String> TRAIN = List.of("name a colour", "name a fruit", "name a planet",
            "name a river", "name a metal");
    private static final List<String> HELD_OUT = List.of("name a bird", "name a tree");
    private static final String SPEC = """
            {"name": "team", "seed": 4, "labelers": "human", "prompts": {"dataset": "%s"},
             "demonstrations": {"count": 5},
             "sft": {"steps": 12, "batch_size": 4, "checkpoint_every": 6},
             "comparisons": {"prompts": 3, "held_out": 1, "k": 4, "overlap": 1},
             "rm": {"steps": 4, "batch_size": 2, "checkpoint_every": 2},
             "ppo": {"iterations": 2, "prompts": 5, "rollout_batch": 8, "minibatch": 4, "epochs": 1,
                     "max_new_tokens": 8, "checkpoint_every": 1},
             "evaluation": {"prompts": 2}}
            """;

    @Inject
    AdminToken admin;

    @Test
    void peopleLabelATeamsPromptsAndTheReportSaysItsNumbersAreProxies() throws Exception {
        Api operator = new Api(admin.adminToken());
        StringBuilder file = new StringBuilder();
        TRAIN.forEach(p -> file.append("{\"prompt\": \"").append(p).append("\", \"split\": \"train\", \"tags\": [\"nouns\"]}\n"));
        HELD_OUT.forEach(p -> file.append("{\"prompt\": \"").append(p).append("\", \"split\": \"held_out\"}\n"));
        file.append("{\"prompt\": \"name a colour\"}\n");
        JsonPath stored = operator.as().contentType("application/x-ndjson").body(file.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/datasets/prompts").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of(7, 5, 2, 1), List.of(stored.getInt("count"), stored.getInt("train"), stored.getInt("held_out"),
                stored.getInt("duplicates")));
        String key = stored.getString("key");

        // simulated people cannot answer a team's prompts: the spec says so before anything starts
        operator.as().body("{\"name\": \"x\", \"prompts\": {\"dataset\": \"" + key + "\"}}").post("/api/v1/runs").then()
                .statusCode(400).body("fields[0].field", org.hamcrest.Matchers.equalTo("prompts.dataset"));

        String run = operator.submit(SPEC.formatted(key));
        Api carol = new Api(mint(operator, "carol"));
        Set<String> demonstrated = new HashSet<>();
        awaitOpen(carol, run, "collect-demonstrations");
        for (JsonPath leased = leased(carol, run, "collect-demonstrations"); leased.get("task") != null;
             leased = leased(carol, run, "collect-demonstrations")) {
            String prompt = leased.getString("task.prompt");
            demonstrated.add(prompt);
            submit(carol, run, "collect-demonstrations", Map.of("task_id", leased.getInt("task.id"),
                    "submission_id", "d" + leased.getInt("task.id"), "completion", "a " + prompt.substring(7)))
                    .then().statusCode(200);
        }
        Set<String> all = new HashSet<>(TRAIN);
        all.addAll(HELD_OUT);
        assertTrue(all.containsAll(demonstrated), "the tasks are the team's prompts: " + demonstrated);

        awaitOpen(carol, run, "collect-comparisons");
        for (JsonPath leased = leased(carol, run, "collect-comparisons"); leased.get("task") != null;
             leased = leased(carol, run, "collect-comparisons")) {
            assertTrue(all.contains(leased.getString("task.prompt")));
            submit(carol, run, "collect-comparisons", Map.of("task_id", leased.getInt("task.id"),
                    "submission_id", "r" + leased.getInt("task.id"), "ranks", new int[] {0, 1, 2, 3})).then().statusCode(200);
        }

        JsonPath done = operator.awaitEnd(run, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("status"), done.prettify());
        // what trained came from the train side only; the held-out side measured
        for (String kind : List.of("demonstrations", "comparisons")) {
            String train = operator.as().get("/api/v1/runs/" + run + "/datasets/" + kind + "?split=train").then()
                    .statusCode(200).extract().asString();
            Arrays.stream(train.split("\n")).filter(l -> !l.isBlank()).forEach(line ->
                    assertTrue(TRAIN.stream().anyMatch(p -> line.contains("\"" + p + "\"")), kind + " trained on " + line));
        }
        JsonPath report = operator.as().get("/api/v1/runs/" + run + "/report").then().statusCode(200).extract().jsonPath();
        assertEquals("proxy", report.getString("verdict"));
        assertTrue(report.getString("note").startsWith("No person judged this run"));
        double preference = report.getDouble("rm_preference");
        assertTrue(preference >= 0 && preference <= 1, "rm_preference " + preference);
        assertEquals(2, report.getInt("held_out_prompts"));
        assertTrue(report.getDouble("kl_to_sft") >= 0, "KL " + report.getDouble("kl_to_sft"));
        assertEquals(preference, done.getDouble("summary.rm_preference"), 1e-9);
    }

    /** The labeler's next task; none (409) once the queue has met its quota and closed. */
    private static JsonPath leased(Api labeler, String run, String stage) {
        return lease(labeler, run, stage).then().statusCode(org.hamcrest.Matchers.oneOf(200, 409)).extract().jsonPath();
    }
}
