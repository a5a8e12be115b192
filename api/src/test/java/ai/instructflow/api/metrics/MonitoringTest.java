package ai.instructflow.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.Prometheus;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.api.runs.Api;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped monitoring against the real thing: Debian's Prometheus scrapes this platform (the API's
 * /q/metrics and the in-process worker's /metrics) with the shipped config and rules while a tiny run
 * goes through; then every dashboard panel's query and every alert's expression must evaluate, and
 * the training dashboard must show that run.
 */
@QuarkusTest
class MonitoringTest {

    /** Surefire runs in the api module's folder. The local Prometheus setup is infra's; rules and dashboards the chart's. */
    private static final Path CONFIG = Path.of("..", "infra", "monitoring", "prometheus", "prometheus.yml");
    private static final Path CHART_FILES = Path.of("..", "helm", "instructflow", "files");
    private static final Path RULES = CHART_FILES.resolve("prometheus/rules/instructflow.rules.yml");
    /** How prometheus.yml names the rules file (relative to itself), and where the test's copy puts it. */
    private static final String RULES_IN_CONFIG = "../../../helm/instructflow/files/prometheus/rules/instructflow.rules.yml";
    private static final String RULES_COPY = "rules/instructflow.rules.yml";
    private static final Path DASHBOARDS = CHART_FILES.resolve("grafana/dashboards");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");
    /** Grafana's own variables, as Grafana would fill them in for a dashboard looking at the last hour. */
    private static final Map<String, String> GRAFANA = Map.of("$__rate_interval", "1m", "$__interval", "15s",
            "$__range", "1h");
    /** Long enough for the last scrapes of the tiny run and the registry gauges' refresh (15 s) on a busy machine. */
    private static final Duration SCRAPED = Duration.ofSeconds(120);

    @Inject
    AdminToken admin;

    @Inject
    Platform platform;

    @TestHTTPResource("/")
    URL app;

    @Test
    void theShippedConfigAndRulesPassPromtool() throws Exception {
        assertTrue(Prometheus.promtool("check", "config", CONFIG.toString()).contains("SUCCESS"));
        assertTrue(Prometheus.promtool("check", "rules", RULES.toString()).contains("SUCCESS"));
    }

    @Test
    void everyPanelAndAlertEvaluatesOnARealPrometheusScrapingATinyRun() throws Exception {
        int workerPort = URI.create(platform.workerMetricsUrl().orElseThrow()).getPort();
        String config = Files.readString(CONFIG);
        // the shipped config, its targets moved to this test's ports and its intervals shortened
        config = replace(config, "127.0.0.1:8080", "127.0.0.1:" + app.getPort());
        config = replace(config, "127.0.0.1:9464", "127.0.0.1:" + workerPort);
        config = replace(config, "scrape_interval: 15s", "scrape_interval: 1s");
        config = replace(config, "evaluation_interval: 15s", "evaluation_interval: 1s");
        config = replace(config, RULES_IN_CONFIG, RULES_COPY);
        Instant began = Instant.now();
        try (Prometheus prometheus = Prometheus.start(config, Map.of(RULES_COPY, RULES))) {
            Api api = new Api(admin.adminToken());
            String run = api.submit(Api.tiny("monitored", 30, ""));
            assertEquals("succeeded", api.awaitEnd(run, Duration.ofMinutes(5)).getString("status"));

            List<Query> panels = panels(run);
            List<Query> training = panels.stream().filter(p -> p.what().startsWith("training.json")).toList();
            assertFalse(training.isEmpty());
            // every training panel shows the run, and the platform's own series are there
            List<Query> platform = List.of(
                    new Query("both targets scraped", "min(up{job=~\"instructflow-api|instructflow-worker\"}) == 1"),
                    new Query("the Temporal SDK's metrics from the API",
                            "count({__name__=~\"temporal_.+\", job=\"instructflow-api\"})"),
                    new Query("runs by status", "instructflow_runs{status=\"succeeded\"} >= 1"),
                    new Query("stage durations",
                            "instructflow_stage_duration_seconds_count{stage=\"ppo\", outcome=\"succeeded\"}"),
                    new Query("the run's labels", "instructflow_labels_total{run=\"" + run + "\"} > 0"),
                    new Query("the run's labeler agreement", "instructflow_labeling_agreement{run=\"" + run + "\"}"));
            List<String> empty = awaitData(prometheus, Stream.concat(training.stream(), platform.stream()).toList(), began);
            assertTrue(empty.isEmpty(), "no data within " + SCRAPED + " for:\n" + String.join("\n", empty));

            List<String> failures = new ArrayList<>();
            for (Query p : panels) {
                JsonNode answer = queryRange(prometheus, p.expr(), began);
                if (!"success".equals(answer.path("status").asText())) {
                    failures.add(p + " -> " + answer);
                }
            }
            JsonNode rules = prometheus.get("/api/v1/rules", Map.of()).path("data").path("groups");
            int loaded = 0;
            for (JsonNode group : rules) {
                for (JsonNode rule : group.path("rules")) {
                    loaded++;
                    String name = rule.path("name").asText();
                    JsonNode answer = queryRange(prometheus, rule.path("query").asText(), began);
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add("alert " + name + " -> " + answer);
                    }
                    if ("err".equals(rule.path("health").asText())) {
                        failures.add("alert " + name + " fails to evaluate: " + rule.path("lastError").asText());
                    }
                }
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            long inFile = Files.readAllLines(RULES).stream()
                    .filter(l -> l.strip().startsWith("- alert:")).count();
            assertEquals(inFile, loaded, "Prometheus loaded every alert of the rules file: " + rules);

            // the training dashboard's run picker lists the run
            for (JsonNode variable : dashboard("training.json").path("templating").path("list")) {
                Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
                if (m.matches()) {
                    JsonNode values = prometheus.get("/api/v1/label/" + m.group(2) + "/values",
                            Map.of("match[]", m.group(1), "start", Long.toString(began.getEpochSecond())));
                    assertTrue(values.path("data").toString().contains(run), variable.path("name") + " lists " + values);
                }
            }
        }
    }

    /** PromQL and where it comes from (a dashboard, panel and target), for failure messages. */
    private record Query(String what, String expr) {
        @Override
        public String toString() {
            return what + ": " + expr;
        }
    }

    /** Every target of every panel (rows included) of every dashboard, with $run as this run. */
    private static List<Query> panels(String run) throws IOException {
        List<Query> out = new ArrayList<>();
        List<String> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(file.getFileName().toString());
                collect(file.getFileName().toString(), new ObjectMapper().readTree(file.toFile()).path("panels"), run, out);
            }
        }
        assertEquals(List.of("labeling.json", "runs-overview.json", "training.json"), dashboards);
        return out;
    }

    private static void collect(String dashboard, JsonNode panels, String run, List<Query> out) {
        for (JsonNode panel : panels) {
            collect(dashboard, panel.path("panels"), run, out);
            for (JsonNode target : panel.path("targets")) {
                String what = dashboard + " / " + panel.path("title").asText() + " / " + target.path("refId").asText();
                String expr = target.path("expr").asText().replace("$run", run);
                for (Map.Entry<String, String> v : GRAFANA.entrySet()) {
                    expr = expr.replace(v.getKey(), v.getValue());
                }
                assertFalse(expr.contains("$"), what + " uses a variable the test does not know: " + expr);
                out.add(new Query(what, expr));
            }
        }
    }

    private static JsonNode dashboard(String name) throws IOException {
        return new ObjectMapper().readTree(DASHBOARDS.resolve(name).toFile());
    }

    /** Polls until every query returns data, up to {@link #SCRAPED}; what is still empty then. */
    private static List<String> awaitData(Prometheus prometheus, List<Query> queries, Instant since)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SCRAPED.toNanos();
        while (true) {
            List<String> empty = new ArrayList<>();
            for (Query p : queries) {
                JsonNode answer = queryRange(prometheus, p.expr(), since);
                if (answer.path("data").path("result").isEmpty()) {
                    empty.add(p + " -> " + answer);
                }
            }
            if (empty.isEmpty() || System.nanoTime() > deadline) {
                return empty;
            }
            Thread.sleep(1000);
        }
    }

    /** As a Grafana graph asks: the whole test's time range, a point every 2 s. */
    private static JsonNode queryRange(Prometheus prometheus, String expr, Instant since)
            throws IOException, InterruptedException {
        return prometheus.get("/api/v1/query_range", Map.of("query", expr, "start", Long.toString(since.getEpochSecond()),
                "end", Long.toString(Instant.now().getEpochSecond() + 1), "step", "2"));
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "the shipped prometheus.yml has no '" + from + "' for the test to replace");
        return text.replace(from, to);
    }
}
