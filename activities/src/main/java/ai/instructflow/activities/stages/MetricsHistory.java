package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a stage's {@code metrics.jsonl}: one object of numbers per step, "step" among them. */
public final class MetricsHistory {

    private MetricsHistory() {}

    public static List<Map<String, Double>> read(InputStream in) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Double> row = new LinkedHashMap<>();
            RunStore.JSON.readTree(line).fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().asDouble()));
            rows.add(row);
        }
        return rows;
    }
}
