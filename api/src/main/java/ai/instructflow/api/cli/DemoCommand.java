package ai.instructflow.api.cli;

import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.workflows.RunStatus;
import ai.instructflow.workflows.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code instructflow demo}: submits the demo run to the platform's own REST API, draws a progress
 * bar per stage with its live metrics, and prints the evaluation's report (or, with --json, the
 * report as one JSON object). It says where to watch the run: its page and the metrics endpoints.
 */
final class DemoCommand {

    private static final int WIDTH = 28;
    /**
     * How often the run is read. Its bars move in tenths of a stage (tens of seconds), and every read,
     * cheap as it is, takes CPU from training on a small machine: once a second cost SFT about a
     * tenth of its steps on 2 cores.
     */
    private static final long POLL_MILLIS = 5000;

    private final ApiClient api;
    private final String workerMetrics;
    private final PrintStream out;
    private final boolean json;
    private final Map<String, String> drawn = new HashMap<>();

    /** {@code workerMetrics}: the in-process worker's /metrics URL, null without one. */
    DemoCommand(ApiClient api, String workerMetrics, boolean json) {
        this.api = api;
        this.workerMetrics = workerMetrics;
        this.json = json;
        // with --json, stdout carries only the report
        this.out = json ? System.err : System.out;
    }

    /** Returns the process exit code: 0 when the run succeeded. */
    int run(String spec) throws IOException, InterruptedException {
        JsonNode run = api.post("/api/v1/runs", spec);
        String id = run.path("id").asText();
        out.println("run " + id + " submitted to " + api.base() + "/api/v1/runs (the demo's spec: " + spec.strip() + ")");
        out.println("  run page: " + api.base() + "/runs/run.html?id=" + id);
        out.println("  metrics:  " + api.base() + "/q/metrics (API, Temporal SDK)"
                + (workerMetrics == null ? "" : ", " + workerMetrics + " (worker: training, stages, labeling)"));
        while (!RunStatus.ENDED.contains(run.path("status").asText())) {
            draw(run);
            Thread.sleep(POLL_MILLIS);
            run = api.get("/api/v1/runs/" + id);
        }
        draw(run);
        String status = run.path("status").asText();
        if (!status.equals("succeeded")) {
            out.println("run " + id + " " + status + (run.hasNonNull("failed_stage") ? " at stage "
                    + run.path("failed_stage").asText() + ": " + run.path("error").asText("") : "")
                    + "\nresume it with: ./instructflow runs resume " + id);
            return 1;
        }
        JsonNode report = api.get("/api/v1/runs/" + id + "/report");
        if (json) {
            System.out.println(ApiClient.JSON.writeValueAsString(report));
            return 0;
        }
        for (JsonNode a : api.get("/api/v1/runs/" + id + "/artifacts")) {
            if (a.path("name").asText().equals("report_text")) {
                out.print(new String(api.download(a.path("url").asText()), StandardCharsets.UTF_8));
            }
        }
        JsonNode timing = run.path("timing");
        out.printf(Locale.ROOT, "%nrun %s: %.0f s, %.1f s inside stages, orchestration overhead %.2f%%%n", id,
                timing.path("wall_seconds").asDouble(), timing.path("activity_seconds").asDouble(),
                100 * timing.path("orchestration_overhead").asDouble());
        out.println("artifacts: GET " + api.base() + "/api/v1/runs/" + id + "/artifacts (bucket prefix runs/" + id + "/)");
        out.println("try the models: POST " + api.base() + "/api/v1/runs/" + id
                + "/generate {\"stage\": \"" + policyStage(run) + "\", \"prompts\": [\"length of hello\"]}");
        return 0;
    }

    /** The stage whose model the run tuned last (its stages are the ones it runs): dpo, or else ppo. */
    private static String policyStage(JsonNode run) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("stage").asText().equals(Stage.DPO.id())) {
                return Stage.DPO.id();
            }
        }
        return Stage.PPO.id();
    }

    /** One line per stage, printed again only when it changed (a log-friendly progress display). */
    private void draw(JsonNode run) {
        for (JsonNode s : run.path("stages")) {
            String stage = s.path("stage").asText();
            String status = s.path("status").asText();
            if (status.equals("pending")) {
                continue;
            }
            long step = s.path("step").asLong();
            long total = s.path("total").asLong();
            boolean done = !status.equals("running");
            double fraction = done ? (status.equals("succeeded") ? 1 : 0) : total > 0 ? (double) step / total : 0;
            int filled = (int) Math.round(fraction * WIDTH);
            String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
            String counts = total > 0 && !done ? String.format(Locale.ROOT, " %d/%d", step, total) : "";
            String line = String.format(Locale.ROOT, "  %-22s [%s] %-9s%s %s", stage, bar, status, counts,
                    metrics(stage, s.path("metrics")));
            // a running stage is redrawn at most every 10% so a log stays readable
            String key = done ? status : status + (int) (fraction * 10);
            if (!key.equals(drawn.get(stage))) {
                drawn.put(stage, key);
                out.println(line.stripTrailing());
            }
        }
    }

    /** The numbers the stage highlights ({@code StageMetric.highlighted}), in its order. */
    private static String metrics(String stage, JsonNode metrics) {
        StringBuilder s = new StringBuilder();
        Stage.of(stage).map(PipelineStages::of).ifPresent(definition -> definition.metrics().stream()
                .filter(m -> m.highlighted() && metrics.path(m.key()).isNumber())
                .forEach(m -> s.append(m.key()).append('=')
                        .append(String.format(Locale.ROOT, "%.4g", metrics.path(m.key()).asDouble())).append(' ')));
        return s.toString();
    }
}
