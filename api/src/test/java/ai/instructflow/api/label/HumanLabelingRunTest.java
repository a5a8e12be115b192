package ai.instructflow.api.label;

import static ai.instructflow.api.label.LabelingCalls.awaitOpen;
import static ai.instructflow.api.label.LabelingCalls.lease;
import static ai.instructflow.api.label.LabelingCalls.mint;
import static ai.instructflow.api.label.LabelingCalls.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.Browser;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.runs.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The human path end to end: a run whose labelers are people. Its collect stages are served to two
 * labelers with overlap 2, alice in the labeling pages in headless Chromium and bob through the REST
 * API; the run then trains SFT and the reward model on exactly their labels and reports their agreement.
 */
@QuarkusTest
class HumanLabelingRunTest {

    private static final String SPEC = """
            {"name": "people", "seed": 5, "labelers": "human",
             "demonstrations": %s,
             "sft": {"steps": 20, "batch_size": 8, "checkpoint_every": 10},
             "comparisons": %s,
             "rm": {"steps": 6, "batch_size": 4, "checkpoint_every": 3},
             "ppo": {"iterations": 2, "prompts": 40, "rollout_batch": 16, "minibatch": 8, "epochs": 1,
                     "max_new_tokens": 16, "checkpoint_every": 1},
             "evaluation": {"prompts": 20}}
            """;
    private static final String DEMOS = "collect-demonstrations";
    private static final String RANKINGS = "collect-comparisons";
    private static final int TASKS = 5;

    @TestHTTPResource("label/")
    URL pages;

    @Inject
    AdminToken admin;

    @Test
    void twoLabelersOneInTheBrowserLabelARunThatTrainsOnTheirLabels() throws InterruptedException {
        Api operator = new Api(admin.adminToken());
        String run = operator.submit(SPEC.formatted("{\"count\": 4, \"overlap\": 2}",
                "{\"prompts\": 4, \"held_out\": 1, \"k\": 4, \"overlap\": 2}"));
        Api bob = new Api(mint(operator, "bob"));
        String alice = mint(operator, "alice");

        // Step 1: demonstrations. bob through the API, with the API's refusals on the way
        awaitOpen(bob, run, DEMOS);
        JsonPath first = lease(bob, run, DEMOS).then().statusCode(200).extract().jsonPath();
        int task = first.getInt("task.id");
        assertEquals(task, lease(bob, run, DEMOS).then().extract().jsonPath().getInt("task.id"),
                "leasing again while the lease lasts gives the same task");
        submit(bob, run, DEMOS, Map.of("task_id", task, "submission_id", "bob-d" + task, "completion", " "))
                .then().statusCode(400).body("fields[0].field", org.hamcrest.Matchers.equalTo("completion"));
        submit(bob, run, DEMOS, Map.of("task_id", (task + 1) % TASKS, "submission_id", "bob-x", "completion", "hi"))
                .then().statusCode(409);
        List<String> bobsTexts = new ArrayList<>();
        for (JsonPath leased = first; leased.get("task") != null; leased = lease(bob, run, DEMOS).then().extract().jsonPath()) {
            int id = leased.getInt("task.id");
            String text = "bob answers " + leased.getString("task.prompt");
            bobsTexts.add(text);
            Map<String, Object> body = Map.of("task_id", id, "submission_id", "bob-d" + id, "completion", text);
            submit(bob, run, DEMOS, body).then().statusCode(200).body("accepted", org.hamcrest.Matchers.equalTo(true));
            submit(bob, run, DEMOS, body).then().statusCode(200).body("duplicate", org.hamcrest.Matchers.equalTo(true));
        }
        assertEquals(TASKS, bobsTexts.size(), "bob labels every task once");
        JsonPath collecting = operator.run(run);
        assertEquals(TASKS, collecting.getInt("stages[0].labeling.labelers.bob"), "the run shows per-labeler progress");
        assertEquals(TASKS, collecting.getInt("stages[0].total"));
        // a labeler sees her own count only, not who else labels
        assertEquals(Map.of(), new Api(alice).as().get("/api/v1/runs/" + run + "/labeling/" + DEMOS).then()
                .statusCode(200).extract().jsonPath().getMap("labelers"));
        assertEquals(Map.of("bob", TASKS), bob.as().get("/api/v1/runs/" + run + "/labeling/" + DEMOS).then()
                .extract().jsonPath().getMap("labelers"));

        // a run cancelled while people label loses none of their labels: its resume reopens the queue where it was
        operator.as().post("/api/v1/runs/" + run + "/cancel").then().statusCode(200);
        assertEquals("cancelled", operator.awaitEnd(run, Duration.ofMinutes(2)).getString("status"));
        operator.as().post("/api/v1/runs/" + run + "/resume").then().statusCode(200);
        awaitOpen(bob, run, DEMOS);
        JsonPath reopened = bob.as().get("/api/v1/runs/" + run + "/labeling/" + DEMOS).then().extract().jsonPath();
        assertEquals(TASKS, reopened.getInt("labels"));
        assertEquals(TASKS, reopened.getInt("labelers.bob"));
        assertNull(lease(bob, run, DEMOS).then().statusCode(200).extract().path("task"),
                "bob's labels from before the cancel still count: no task is left for him");

        List<String> alicesTexts = new ArrayList<>();
        try (Browser browser = new Browser()) {
            browser.open(pages + "demonstrations.html?run=" + run + "&token=" + alice);
            for (int n = 1; n <= TASKS; n++) {
                String prompt = browser.waitFor("#prompt").getText();
                String text = "alice writes for " + prompt;
                alicesTexts.add(text);
                browser.type("#response", text);
                if (n == 1) {
                    browser.screenshot("demonstrations-page");
                }
                browser.press(Keys.CONTROL, Keys.ENTER);
                browser.waitForText("#mine", String.valueOf(n));
            }
            browser.waitForText("#status", "This stage is over");
            browser.screenshot("demonstrations-page-done");
        }

        // Step 2: rankings of SFT samples. bob agrees with alice on the first two tasks he gets and not after
        awaitOpen(bob, run, RANKINGS);
        long compared = 0;
        long agreed = 0;
        int ranked = 0;
        for (JsonPath leased = lease(bob, run, RANKINGS).then().statusCode(200).extract().jsonPath();
             leased.get("task") != null; leased = lease(bob, run, RANKINGS).then().extract().jsonPath()) {
            int id = leased.getInt("task.id");
            List<String> responses = leased.getList("task.responses", String.class);
            assertEquals(4, responses.size());
            boolean sameAsAlice = ranked++ < 2;  // alice ranks every task 4 > 3 > 2 > 1: ranks [3, 2, 1, 0]
            int[] ranks = sameAsAlice ? new int[] {3, 2, 1, 0} : new int[] {0, 1, 2, 3};
            long distinct = distinctPairs(responses);
            compared += distinct;
            agreed += sameAsAlice ? distinct : 0;
            submit(bob, run, RANKINGS, Map.of("task_id", id, "submission_id", "bob-r" + id, "ranks", ranks))
                    .then().statusCode(200);
        }
        assertEquals(TASKS, ranked);
        submit(bob, run, RANKINGS, Map.of("task_id", 0, "submission_id", "bob-perm", "ranks", new int[] {0, 0, 1, 2}))
                .then().statusCode(400).body("fields[0].field", org.hamcrest.Matchers.equalTo("ranks"));
        try (Browser browser = new Browser()) {
            browser.open(pages + "rankings.html?run=" + run + "&token=" + alice);
            for (int n = 1; n <= TASKS; n++) {
                browser.waitFor(".response-card");
                for (String key : List.of("4", "3", "2", "1")) {
                    browser.press(key);
                }
                browser.waitForText("#order", "4 > 3 > 2 > 1");
                if (n == 1) {
                    browser.screenshot("rankings-page");
                }
                browser.press(Keys.ENTER);
                browser.waitForText("#mine", String.valueOf(n));
            }
            browser.waitForText("#status", "This stage is over");
        }

        JsonPath done = operator.awaitEnd(run, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("status"), done.prettify());
        Map<String, Object> demos = done.getMap("stages[0].metrics");
        assertEquals(2 * TASKS, ((Number) demos.get("labels")).intValue());
        assertEquals(2, ((Number) demos.get("labelers")).intValue());
        Map<String, Object> comparisons = done.getMap("stages[2].metrics");
        assertEquals(2 * TASKS, ((Number) comparisons.get("labels")).intValue());
        assertTrue(compared > 0, "the SFT samples differ somewhere, so agreement is measurable");
        // JSON numbers come back as floats through RestAssured, hence the tolerance
        assertEquals((double) agreed / compared, ((Number) comparisons.get("agreement")).doubleValue(), 1e-6,
                "agreement is measured on the labelers' overlapping rankings");
        assertEquals("succeeded", done.getString("stages[3].status"), "the reward model trained on their rankings");
        assertEquals((double) agreed / compared, ((Number) operator.as().get("/api/v1/runs/" + run + "/report")
                .then().statusCode(200).extract().path("labeler_agreement")).doubleValue(), 1e-6);

        String exported = operator.as().get("/api/v1/runs/" + run + "/datasets/demonstrations")
                .then().statusCode(200).extract().asString();
        for (String text : bobsTexts) {
            assertTrue(exported.contains(text), "bob's demonstration is in the dataset: " + text);
        }
        for (String text : alicesTexts) {
            assertTrue(exported.contains(text), "alice's demonstration, typed in the page, is in the dataset: " + text);
        }
        assertEquals(2 * TASKS, exported.strip().split("\n").length);
        lease(bob, run, DEMOS).then().statusCode(409);

        // what the people made goes into another run as imported datasets, with no labeling at all
        String pairs = operator.as().get("/api/v1/runs/" + run + "/datasets/comparisons?format=pairs")
                .then().statusCode(200).extract().asString();
        String demosKey = upload(operator, "demonstrations", exported);
        String pairsKey = upload(operator, "comparisons", pairs);
        String again = operator.submit(SPEC.formatted("{\"dataset\": \"" + demosKey + "\"}",
                "{\"dataset\": \"" + pairsKey + "\"}"));
        JsonPath imported = operator.awaitEnd(again, Duration.ofMinutes(10));
        assertEquals("succeeded", imported.getString("status"), imported.prettify());
        assertEquals(2 * TASKS, count(imported, "stages[0].metrics.demonstrations") + count(imported, "stages[0].metrics.held_out"));
        assertEquals(pairs.strip().split("\n").length,
                count(imported, "stages[2].metrics.rankings") + count(imported, "stages[2].metrics.held_out"));
    }

    /** Metrics are doubles in JSON ("9.0"). */
    private static int count(JsonPath run, String path) {
        return (int) run.getFloat(path);
    }

    private static String upload(Api operator, String kind, String jsonl) {
        return operator.as().contentType("application/x-ndjson").body(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/datasets/" + kind)
                .then().statusCode(201).extract().path("key");
    }

    private static long distinctPairs(List<String> responses) {
        long n = 0;
        for (int a = 0; a < responses.size(); a++) {
            for (int b = a + 1; b < responses.size(); b++) {
                n += responses.get(a).equals(responses.get(b)) ? 0 : 1;
            }
        }
        return n;
    }
}
