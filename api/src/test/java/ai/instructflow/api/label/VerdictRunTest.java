package ai.instructflow.api.label;

import static ai.instructflow.api.label.LabelingCalls.answerAll;
import static ai.instructflow.api.label.LabelingCalls.awaitOpen;
import static ai.instructflow.api.label.LabelingCalls.lease;
import static ai.instructflow.api.label.LabelingCalls.mint;
import static ai.instructflow.api.label.LabelingCalls.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.labeling.LabelingTask;
import ai.instructflow.api.Browser;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.labeling.LabelingService;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.api.runs.Api;
import ai.instructflow.workflows.Stage;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The paper's verdict by people: a team's run labeled by carol (demonstrations in the page in
 * headless Chromium, rankings over REST) and judged by two held-out people, jane in the verdict page
 * and joe over REST, blind to which policy wrote which answer. The report's win rate is exactly what their choices say once un-blinded; the training
 * labeler and a labeler of no group are refused verdict tasks.
 */
@QuarkusTest
class VerdictRunTest {

    private static final String DEMOS = Stage.COLLECT_DEMONSTRATIONS.id();
    private static final String RANKINGS = Stage.COLLECT_COMPARISONS.id();
    private static final String EVALUATE = Stage.EVALUATE.id();
    private static final String JUDGED = """
            {"prompts": 2, "judges": "human", "group": "held-out", "overlap": 2}""";

    @TestHTTPResource("label/")
    URL pages;

    @Inject
    AdminToken admin;

    @Inject
    Platform platform;

    @Inject
    LabelingService labeling;

    @Test
    void heldOutPeopleJudgeBlindAndTheirChoicesAreTheReportedWinRate() throws Exception {
        Api operator = new Api(admin.adminToken());
        operator.as().body(Map.of("subject", "x", "role", "labeler", "group", "Held Out")).post("/api/v1/tokens")
                .then().statusCode(400).body("fields[0].field", Matchers.equalTo("group"));
        String key = TeamPromptsRunTest.uploadPrompts(operator).getString("key");
        String run = operator.submit(TeamPromptsRunTest.SPEC.formatted(key, JUDGED));
        // carol, the training labeler: demonstrations in the page, rankings over REST
        String carol = mint(operator, "carol");
        awaitOpen(new Api(carol), run, DEMOS);
        int demos = new Api(carol).as().get("/api/v1/runs/" + run + "/labeling/" + DEMOS).then().extract().path("tasks");
        try (Browser browser = new Browser()) {
            browser.open(pages + "demonstrations.html?run=" + run + "&token=" + carol);
            for (int n = 1; n <= demos; n++) {
                browser.type("#response", "a " + browser.waitFor("#prompt").getText().substring(7));
                browser.press(Keys.CONTROL, Keys.ENTER);
                browser.waitForText("#mine", String.valueOf(n));
            }
            browser.waitForText("#status", "This stage is over");
        }
        awaitOpen(new Api(carol), run, RANKINGS);
        answerAll(new Api(carol), run, RANKINGS, t -> Map.of("ranks", new int[] {0, 1, 2, 3}));

        Api joe = new Api(mint(operator, "joe", "held-out"));
        String jane = mint(operator, "jane", "held-out");
        awaitOpen(joe, run, EVALUATE);
        // carol labeled this run's training data: with a judge's group she is still no judge of it
        lease(new Api(mint(operator, "carol", "held-out")), run, EVALUATE).then().statusCode(403)
                .body("error", Matchers.containsString("carol labeled this run's training data"));
        lease(new Api(mint(operator, "dave")), run, EVALUATE).then().statusCode(403)
                .body("error", Matchers.containsString("only labelers of group 'held-out'"));

        List<LabelingTask> tasks = tasks(run);
        assertEquals(2, tasks.size());
        // joe over REST: left on the first task he gets, a tie on the second, rating both on the tie
        JsonPath first = lease(joe, run, EVALUATE).then().statusCode(200).extract().jsonPath();
        assertNull(first.get("task.authors"), "the page is never told which policy wrote which answer");
        assertEquals(2, first.getList("task.responses").size());
        submit(joe, run, EVALUATE, Map.of("task_id", first.getInt("task.id"), "submission_id", "j1", "choice", "up"))
                .then().statusCode(400).body("fields[0].field", Matchers.equalTo("choice"));
        submit(joe, run, EVALUATE, Map.of("task_id", first.getInt("task.id"), "submission_id", "j1", "ranks", new int[] {0, 1}))
                .then().statusCode(400).body("fields.field", Matchers.hasItems("ranks", "choice"));
        submit(joe, run, EVALUATE, Map.of("task_id", first.getInt("task.id"), "submission_id", "j1", "choice", "left"))
                .then().statusCode(200);
        JsonPath second = lease(joe, run, EVALUATE).then().statusCode(200).extract().jsonPath();
        submit(joe, run, EVALUATE, Map.of("task_id", second.getInt("task.id"), "submission_id", "j2", "choice", "tie",
                "ratings", new int[] {5, 5})).then().statusCode(200);
        double joeOutcomes = outcome(tasks.get(first.getInt("task.id")), "left") + 0.5;

        // jane in the page: 1 (left is better) on both, rating the answers of her first task 6 and 2
        double janeOutcomes = 0;
        try (Browser browser = new Browser()) {
            browser.open(pages + "verdict.html?run=" + run + "&token=" + jane);
            for (int n = 1; n <= 2; n++) {
                String prompt = browser.waitFor("#prompt").getText();
                LabelingTask task = tasks.stream().filter(t -> t.prompt().equals(prompt)).findFirst().orElseThrow();
                janeOutcomes += outcome(task, "left");
                if (n == 1) {
                    browser.type("#left-rating", "6").type("#right-rating", "2");
                    browser.screenshot("verdict-page");
                    browser.click("#left");
                } else {
                    browser.press("1");
                }
                browser.waitForText("#mine", String.valueOf(n));
            }
            browser.waitForText("#status", "This stage is over");
        }

        JsonPath done = operator.awaitEnd(run, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("status"), done.prettify());
        JsonPath report = operator.as().get("/api/v1/runs/" + run + "/report").then().statusCode(200).extract().jsonPath();
        assertEquals("human", report.getString("verdict"));
        assertEquals(2, report.getInt("judges"));
        assertEquals(4, report.getInt("verdicts"));
        assertEquals(1, report.getInt("ties"));
        assertEquals((joeOutcomes + janeOutcomes) / 4, report.getDouble("win_rate"), 1e-12);
        assertEquals(List.of("jane", "joe"), report.getList("per_judge.judge"));
        assertEquals(janeOutcomes / 2, report.getDouble("per_judge[0].win_rate"), 1e-12);
        assertEquals(joeOutcomes / 2, report.getDouble("per_judge[1].win_rate"), 1e-12);
        // they chose alike on joe's first task (left) and not on his tie
        assertEquals(0.5, report.getDouble("judge_agreement"), 1e-12);
        assertTrue(report.getDouble("win_rate_ci_low") <= report.getDouble("win_rate"));
        assertEquals(report.getDouble("win_rate"), done.getDouble("summary.win_rate"), 1e-12);
        // the answers they judged were made in two shards, the tuned policy's and SFT's, an answer a task each
        assertEquals(List.of("0 of 2: 2", "1 of 2: 2"), done.getList("stages.find { it.stage == 'evaluate' }.shards",
                Map.class).stream().map(s -> s.get("shard") + " of " + s.get("count") + ": " + s.get("lines")).toList());
    }

    /** The verdict queue's tasks as stored, where each answer's author is recorded. */
    private List<LabelingTask> tasks(String run) {
        String prefix = labeling.live(run, EVALUATE).orElseThrow().spec().prefix();
        return new LabelStore(platform.runs().objects()).tasks(prefix);
    }

    /** PPO's outcome when a judge picks {@code side} of {@code task}: 1 if PPO wrote that answer. */
    private static double outcome(LabelingTask task, String side) {
        int picked = "left".equals(side) ? 0 : 1;
        return Stage.PPO.id().equals(task.authors().get(picked)) ? 1 : 0;
    }
}
