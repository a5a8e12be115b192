package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.workflows.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stage's {@code metrics.jsonl}: one object of numbers per step, "step" among them. */
public final class MetricsHistory {

    private MetricsHistory() {}

    /** Where a stage keeps its history: beside its model, so the history lives as long as the run. */
    public static String key(String runId, Stage stage) {
        return RunStore.stagePrefix(runId, stage) + "metrics.jsonl";
    }

    public static List<Map<String, Double>> read(InputStream in) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>();
        JsonLines.forEach(in, (number, text) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            RunStore.JSON.readTree(text).fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().asDouble()));
            rows.add(row);
        });
        return rows;
    }

    public static void write(List<Map<String, Double>> rows, OutputStream out) throws IOException {
        for (Map<String, Double> row : rows) {
            JsonLines.write(out, row);
        }
    }
}
