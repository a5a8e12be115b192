package ai.instructflow.api.label;

import static ai.instructflow.api.label.LabelingCalls.answerAll;
import static ai.instructflow.api.label.LabelingCalls.awaitOpen;
import static ai.instructflow.api.label.LabelingCalls.mint;
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

    static final List<String> TRAIN = List.of("name a colour", "name a fruit", "name a planet",
            "name a river", "name a metal");
    static final List<String> HELD_OUT = List.of("name a bird", "name a tree");
    /** A tiny human run on the team's prompt file (%1$s), with its evaluation section (%2$s). */
    static final String SPEC = """
            {"name": "team", "seed": 4, "labelers": "human", "prompts": {"dataset": "%s"},
             "demonstrations": {"count": 5},
             "sft": {"steps": 12, "batch_size": 4, "checkpoint_every": 6},
             "comparisons": {"prompts": 3, "held_out": 1, "k": 4, "overlap": 1},
             "rm": {"steps": 4, "batch_size": 2, "checkpoint_every": 2},
             "ppo": {"iterations": 2, "prompts": 5, "rollout_batch": 8, "minibatch": 4, "epochs": 1,
                     "max_new_tokens": 8, "checkpoint_every": 1},
             "evaluation": %2$s}
            """;

    @Inject
    AdminToken admin;

    @Test
    void peopleLabelATeamsPromptsAndTheReportSaysItsNumbersAreProxies() throws Exception {
        Api operator = new Api(admin.adminToken());
        JsonPath stored = uploadPrompts(operator);
        assertEquals(List.of(7, 5, 2, 1), List.of(stored.getInt("count"), stored.getInt("train"), stored.getInt("held_out"),
                stored.getInt("duplicates")));
        String key = stored.getString("key");

        // simulated people cannot answer a team's prompts: the spec says so before anything starts
        operator.as().body("{\"name\": \"x\", \"prompts\": {\"dataset\": \"" + key + "\"}}").post("/api/v1/runs").then()
                .statusCode(400).body("fields[0].field", org.hamcrest.Matchers.equalTo("prompts.dataset"));

        String run = operator.submit(SPEC.formatted(key, "{\"prompts\": 2}"));
        Api carol = new Api(mint(operator, "carol"));
        Set<String> all = new HashSet<>(TRAIN);
        all.addAll(HELD_OUT);
        Set<String> asked = labelTheTrainingData(carol, run);
        assertTrue(all.containsAll(asked), "the tasks are the team's prompts: " + asked);

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
        // PPO's KL to SFT on its two held-out answers (an estimate: near 0 after a tiny run, of either sign)
        assertTrue(Double.isFinite(report.getDouble("kl_to_sft")), "kl_to_sft " + report.getString("kl_to_sft"));
        assertEquals(report.getDouble("kl_to_sft"),
                operator.run(run).getDouble("stages.find { it.stage == 'evaluate' }.metrics.kl_to_sft"), 1e-6);
        assertEquals(preference, done.getDouble("summary.rm_preference"), 1e-9);
    }

    /** The team's prompt file: TRAIN and HELD_OUT, and one prompt again without a split. */
    static JsonPath uploadPrompts(Api operator) {
        StringBuilder file = new StringBuilder();
        TRAIN.forEach(p -> file.append("{\"prompt\": \"").append(p).append("\", \"split\": \"train\", \"tags\": [\"nouns\"]}\n"));
        HELD_OUT.forEach(p -> file.append("{\"prompt\": \"").append(p).append("\", \"split\": \"held_out\"}\n"));
        file.append("{\"prompt\": \"name a colour\"}\n");
        return operator.as().contentType("application/x-ndjson").body(file.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/datasets/prompts").then().statusCode(201).extract().jsonPath();
    }

    /** One labeler answers every demonstration and ranking task; returns the prompts they were asked. */
    private static Set<String> labelTheTrainingData(Api labeler, String run) throws InterruptedException {
        Set<String> asked = new HashSet<>();
        awaitOpen(labeler, run, "collect-demonstrations");
        answerAll(labeler, run, "collect-demonstrations",
                t -> Map.of("completion", "a " + t.getString("task.prompt").substring(7)))
                .forEach(t -> asked.add(t.getString("task.prompt")));
        awaitOpen(labeler, run, "collect-comparisons");
        answerAll(labeler, run, "collect-comparisons", t -> Map.of("ranks", new int[] {0, 1, 2, 3}))
                .forEach(t -> asked.add(t.getString("task.prompt")));
        return asked;
    }
}
