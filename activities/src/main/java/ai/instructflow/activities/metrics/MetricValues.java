package ai.instructflow.activities.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** A stage's results by its declared metrics, in the order they were put. */
public final class MetricValues {

    private final Map<String, Double> values = new LinkedHashMap<>();

    public MetricValues put(StageMetric metric, double value) {
        values.put(metric.key(), value);
        return this;
    }

    public MetricValues putAll(Map<String, Double> more) {
        values.putAll(more);
        return this;
    }

    public Map<String, Double> map() {
        return values;
    }
}
