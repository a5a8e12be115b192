package ai.instructflow.api.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.Browser;
import ai.instructflow.api.auth.AdminToken;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The run pages as the app serves them, in headless Chromium, over a real tiny run (embedded Temporal, S3 and the
 * in-process worker), and the stored metrics history they chart, over REST.
 */
@QuarkusTest
class RunPageTest {

    private static final List<String> STAGES = List.of("collect-demonstrations", "sft", "collect-comparisons", "rm",
            "ppo", "evaluate");
    private static final int SFT_STEPS = 40;
    /** Api.TINY's budgets for the other two training stages. */
    private static final int RM_STEPS = 10;
    private static final int PPO_ITERATIONS = 3;
    private static final List<String> CHARTS = List.of("chart-sft-loss", "chart-rm", "chart-reward", "chart-heldout-score",
            "chart-kl", "chart-entropy", "chart-response-length", "chart-ppo-update");

    /** Numbers as the server wrote them (JsonPath reads them as floats by default). */
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    /** One finished run serves every test here: a run costs this machine a minute or more. */
    private static String finished;

    @TestHTTPResource("runs/")
    URL pages;

    @Inject
    AdminToken admin;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(admin.adminToken());
    }

    private String finishedRun() throws InterruptedException {
        if (finished == null) {
            String id = api.submit(Api.tiny("page", SFT_STEPS, ""));
            JsonPath run = api.awaitEnd(id, Duration.ofMinutes(5));
            assertEquals("succeeded", run.getString("status"), run.prettify());
            finished = id;
        }
        return finished;
    }

    @Test
    void theMetricsEndpointServesEachTrainingStagesStoredHistory() throws InterruptedException {
        String id = finishedRun();
        Map<String, List<Map<String, Number>>> all = api.as().get("/api/v1/runs/" + id + "/metrics")
                .then().statusCode(200).extract().jsonPath().using(DOUBLES).getMap("$");
        assertEquals(List.of("sft", "rm", "ppo"), List.copyOf(all.keySet()), "run order; stages that train nothing have no history");
        assertSteps(SFT_STEPS, all.get("sft"));
        assertSteps(RM_STEPS, all.get("rm"));
        assertSteps(PPO_ITERATIONS, all.get("ppo"));
        for (String key : List.of("loss", "lr", "grad_norm")) {
            assertTrue(all.get("sft").get(0).containsKey(key), key + " in " + all.get("sft").get(0));
        }
        assertTrue(all.get("sft").get(SFT_STEPS - 1).containsKey("eval_loss"), "the last SFT step is evaluated");
        assertTrue(all.get("rm").get(0).containsKey("accuracy"));
        for (Map<String, Number> row : all.get("ppo")) {
            for (String key : List.of("reward", "kl", "heldout_score", "entropy", "response_length")) {
                assertTrue(row.containsKey(key), key + " in " + row);
            }
        }

        // the history is the same the stage ended on: its last row is the stage's final metrics
        JsonPath run = api.run(id).using(DOUBLES);
        Map<String, Number> last = all.get("ppo").get(PPO_ITERATIONS - 1);
        for (String key : List.of("reward", "kl", "heldout_score")) {
            assertEquals(run.getDouble("stages[4].metrics." + key), last.get(key).doubleValue(), key);
        }

        Map<String, Object> ppo = api.as().get("/api/v1/runs/" + id + "/metrics?stage=ppo")
                .then().statusCode(200).extract().jsonPath().using(DOUBLES).getMap("$");
        assertEquals(Map.of("ppo", all.get("ppo")), ppo);
        assertEquals(Map.of(), api.as().get("/api/v1/runs/" + id + "/metrics?stage=evaluate")
                .then().statusCode(200).extract().jsonPath().getMap("$"), "a stage without history is absent");
        api.as().get("/api/v1/runs/" + id + "/metrics?stage=reward-model").then().statusCode(400)
                .body("fields[0].field", equalTo("stage"));
        api.as().get("/api/v1/runs/no-such-run/metrics").then().statusCode(404);
        new Api(mint("carol-labeler", "labeler")).as().get("/api/v1/runs/" + id + "/metrics").then().statusCode(403);
    }

    @Test
    void theRunPageShowsTheTimelineChartsLabelingAndArtifactsOfAFinishedRun() throws Exception {
        String id = finishedRun();
        try (Browser browser = new Browser()) {
            browser.open(pages + "run.html?id=" + id + "&token=" + admin.adminToken());
            browser.waitForText("#run-name", "page");
            browser.waitFor("#stages tbody tr[data-stage='evaluate']");
            assertFalse(browser.url().contains("token="), "the token leaves the address bar: " + browser.url());
            assertTrue(browser.text("#run-status").contains("succeeded"));

            // the timeline: every stage succeeded, each with its attempt, worker and time
            List<WebElement> rows = browser.all("#stages tbody tr");
            assertEquals(STAGES, rows.stream().map(r -> r.getDomAttribute("data-stage")).toList());
            for (WebElement row : rows) {
                assertEquals("succeeded", row.getDomAttribute("data-status"), row.getText());
                assertTrue(row.getText().contains("#1 "), "the first attempt with its worker: " + row.getText());
                assertFalse(row.findElements(By.cssSelector(".track .segment.succeeded")).isEmpty(), row.getText());
            }

            // every chart drew from the stored history
            for (String chart : CHARTS) {
                WebElement figure = browser.waitFor("#" + chart + "[data-points]");
                assertTrue(Long.parseLong(figure.getDomAttribute("data-points")) > 0, chart + " plotted nothing");
                List<?> canvas = (List<?>) browser.script("""
                        const c = document.querySelector('#' + arguments[0] + ' canvas');
                        return c ? [c.width, c.height] : [0, 0];""", chart);
                assertTrue((Long) canvas.get(0) > 100 && (Long) canvas.get(1) > 100, chart + " canvas " + canvas);
            }
            assertEquals(String.valueOf(SFT_STEPS + 1), browser.waitFor("#chart-sft-loss").getDomAttribute("data-points"),
                    "every step's loss and the final eval loss");
            // one point per iteration and series: KL with its guard-window mean, the held-out score with its best window
            for (Map.Entry<String, Integer> ppo : Map.of("chart-reward", 1, "chart-kl", 2, "chart-heldout-score", 2).entrySet()) {
                assertEquals(String.valueOf(PPO_ITERATIONS * ppo.getValue()),
                        browser.waitFor("#" + ppo.getKey()).getDomAttribute("data-points"), ppo.getKey());
            }

            // the labeling counts of both collect stages
            String comparisons = browser.text("#labeling [data-stage='collect-comparisons']");
            assertTrue(comparisons.contains("LABELS") && comparisons.contains("AGREEMENT"), comparisons);
            assertTrue(browser.text("#labeling [data-stage='collect-demonstrations']").contains("TASKS DONE"));
            assertTrue(browser.text("#summary").contains("WIN RATE VS SFT"), browser.text("#summary"));

            // the artifacts, each with its presigned link; the report's downloads as it is
            List<WebElement> links = browser.all("#artifacts a.download");
            assertTrue(links.size() >= 10, "datasets, models, metrics and the report: " + links.size());
            WebElement report = browser.waitFor("#artifacts tr[data-key='runs/" + id + "/evaluate/report.txt'] a.download");
            HttpResponse<String> download = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(report.getDomAttribute("href"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, download.statusCode());
            assertTrue(download.body().toLowerCase().contains("win rate"), download.body());

            // an admin sees the controls; a succeeded run can be neither cancelled nor resumed
            assertTrue(browser.isVisible("#cancel") && browser.isVisible("#resume"));
            assertFalse(browser.waitFor("#cancel").isEnabled());
            assertFalse(browser.waitFor("#resume").isEnabled());
            assertFalse(browser.isVisible("#error"), "no error: " + browser.text("#error"));
            browser.screenshot("run-page");
            browser.script("document.getElementById('charts').scrollIntoView()");
            browser.screenshot("run-page-charts");
            browser.script("document.getElementById('labeling').scrollIntoView()");
            browser.screenshot("run-page-artifacts");
        }
    }

    @Test
    void aPpoTheGuardStoppedSaysWhyInItsRecordAndOnItsPage() throws InterruptedException {
        finishedRun();
        // the finished run's SFT and RM through the cache; a KL budget that the second iteration passes, at a policy
        // learning rate that moves the policy off SFT by far more than the KL estimate's noise over 32 rollouts
        String spec = Api.tiny("page-guard", SFT_STEPS, ", \"cache\": true").replace("\"checkpoint_every\": 1}",
                "\"checkpoint_every\": 1, \"policy_lr\": 1e-3, \"guard\": {\"kl_budget\": 0.0001, \"patience\": 1}}");
        String id = api.submit(spec);
        JsonPath run = api.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", run.getString("status"), run.prettify());
        String ppo = "stages.find { it.stage == 'ppo' }.";
        assertEquals("KL_BUDGET", run.getString(ppo + "early_stop.reason"), run.prettify());
        int stoppedAt = run.getInt(ppo + "early_stop.iteration");
        int handedOn = run.getInt(ppo + "early_stop.handed_on_iteration");
        // the first iteration samples the SFT policy itself (KL 0): always within the budget, never the one that stops
        assertTrue(stoppedAt >= 2 && handedOn >= 1 && handedOn < stoppedAt, run.prettify());
        assertTrue(run.getFloat(ppo + "early_stop.kl") > 0.0001f);
        assertEquals(1.0f, run.getFloat(ppo + "metrics.stopped_early"));
        try (Browser browser = new Browser()) {
            browser.open(pages + "run.html?id=" + id + "&token=" + admin.adminToken());
            String line = browser.waitForText("#stages tbody tr[data-stage='ppo'] .early-stop", "Stopped early");
            assertTrue(line.contains("at iteration " + stoppedAt + ": KL to the SFT policy at")
                    && line.contains("handed on the policy of iteration " + handedOn), line);
        }
    }

    @Test
    void theRunsListShowsTheRunAndLinksToItsPage() throws InterruptedException {
        String id = finishedRun();
        try (Browser browser = new Browser()) {
            browser.open(pages + "?token=" + admin.adminToken());
            WebElement row = browser.waitFor("#runs tbody tr[data-run='" + id + "']");
            String text = row.getText();
            assertTrue(text.contains("page") && text.contains(id) && text.contains("succeeded") && text.contains("done"), text);
            assertTrue(text.contains("%"), "the win rate: " + text);
            assertTrue(browser.text("#count").contains(" of "), browser.text("#count"));
            browser.screenshot("runs-list");

            row.findElement(By.cssSelector("a.run-link")).click();
            browser.waitForText("#run-name", "page");
            assertTrue(browser.url().endsWith("/runs/run.html?id=" + id), browser.url());
        }
    }

    @Test
    void aRunningRunRefreshesItselfShowsItsLiveQueueAndIsCancelledAndResumedFromThePage() throws InterruptedException {
        // people label this run, and none do: it waits in collect-demonstrations with its queue open
        String id = api.submit(Api.tiny("page-live", SFT_STEPS, ", \"labelers\": \"human\""));
        try (Browser browser = new Browser()) {
            browser.open(pages + "run.html?id=" + id + "&token=" + admin.adminToken());
            browser.waitForText("#run-status", "running");
            // the page refreshes itself until the queue is open, then shows it
            String queue = browser.waitForText("#labeling [data-stage='collect-demonstrations']", "tasks complete");
            assertTrue(queue.contains("0 of "), queue);
            assertNotNull(browser.waitFor("#stages tr[data-stage='collect-demonstrations'] progress"));
            assertFalse(browser.waitFor("#resume").isEnabled());
            browser.screenshot("run-page-running");

            browser.click("#cancel");
            assertTrue(browser.acceptDialog().contains("Cancel run page-live"));
            browser.waitForText("#run-status", "cancelled");
            browser.until(d -> d.findElement(By.id("resume")).isEnabled(), () -> "Resume enabled for a cancelled run");
            assertFalse(browser.waitFor("#cancel").isEnabled());

            browser.click("#resume");
            browser.waitForText("#run-status", "running");
            browser.waitForText("#labeling [data-stage='collect-demonstrations']", "tasks complete");
            assertFalse(browser.isVisible("#error"), "no error: " + browser.text("#error"));
        } finally {
            api.as().post("/api/v1/runs/" + id + "/cancel");
            api.awaitEnd(id, Duration.ofMinutes(2));
        }
    }

    @Test
    void aLabelerSeesTheApisRefusalInThePage() throws InterruptedException {
        String id = finishedRun();
        String labeler = mint("dave-labeler", "labeler");
        try (Browser browser = new Browser()) {
            browser.open(pages + "run.html?id=" + id + "&token=" + labeler);
            browser.waitForText("#who", "dave-labeler");
            String error = browser.waitForText("#error", "403");
            assertTrue(error.startsWith("Error 403: "), error);
            assertFalse(browser.isVisible("#run"), "nothing of the run shows");
            assertFalse(browser.isVisible("#controls"));

            browser.open(pages.toString());
            browser.waitForText("#error", "403");
            assertFalse(browser.isVisible("#list"));
            browser.screenshot("runs-list-labeler");
        }
    }

    @Test
    void withoutATokenThePagesSayHowToGetOne() {
        try (Browser browser = new Browser()) {
            for (String page : List.of("", "run.html?id=x")) {
                browser.open(pages + page);
                String status = browser.waitForText("#status", "You need a sign-in link");
                assertTrue(status.contains("/runs/?token=") && status.contains("~/.instructflow/admin-token"), status);
                assertFalse(browser.isVisible("#error"), "a missing token is a state to explain, not an error");
            }
        }
    }

    private static void assertSteps(int steps, List<Map<String, Number>> rows) {
        assertNotNull(rows);
        assertEquals(steps, rows.size(), "one row per step");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i + 1, rows.get(i).get("step").intValue(), "steps 1.." + steps + " in order");
        }
    }

    private String mint(String subject, String role) {
        return given().auth().oauth2(admin.adminToken()).contentType(ContentType.JSON)
                .body("{\"subject\": \"" + subject + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
    }
}
