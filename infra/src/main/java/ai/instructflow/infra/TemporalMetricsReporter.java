package ai.instructflow.infra;

import com.uber.m3.tally.Buckets;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.MetricsTag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Temporal SDK's metrics into Micrometer, every one with the same tag keys. Prometheus registries
 * refuse a second set of keys under a name they know, and the SDK gives some request metrics an
 * {@code update_name} tag only for Updates (the labeling queues' lease and submit): the refusal then
 * surfaces inside a gRPC callback, on the labeling path. So each metric carries every tag key the SDK
 * defines, {@code none} where it has no value (as the SDK already does for most), and no other key.
 */
final class TemporalMetricsReporter extends MicrometerClientStatsReporter {

    private static final List<String> KEYS = List.of(MetricsTag.NAMESPACE, MetricsTag.TASK_QUEUE, MetricsTag.WORKER_TYPE,
            MetricsTag.ACTIVITY_TYPE, MetricsTag.WORKFLOW_TYPE, MetricsTag.NEXUS_SERVICE, MetricsTag.NEXUS_OPERATION,
            MetricsTag.SIGNAL_NAME, MetricsTag.QUERY_TYPE, MetricsTag.UPDATE_NAME, MetricsTag.STATUS_CODE,
            MetricsTag.EXCEPTION, MetricsTag.OPERATION_NAME, MetricsTag.TASK_FAILURE_TYPE, MetricsTag.POLLER_TYPE);

    TemporalMetricsReporter(MeterRegistry registry) {
        super(registry);
    }

    @Override
    public void reportCounter(String name, Map<String, String> tags, long value) {
        super.reportCounter(name, uniform(tags), value);
    }

    @Override
    public void reportGauge(String name, Map<String, String> tags, double value) {
        super.reportGauge(name, uniform(tags), value);
    }

    @Override
    public void reportTimer(String name, Map<String, String> tags, Duration interval) {
        super.reportTimer(name, uniform(tags), interval);
    }

    @Override
    public void reportHistogramValueSamples(String name, Map<String, String> tags, Buckets buckets,
                                            double lower, double upper, long samples) {
        super.reportHistogramValueSamples(name, uniform(tags), buckets, lower, upper, samples);
    }

    @Override
    public void reportHistogramDurationSamples(String name, Map<String, String> tags, Buckets buckets,
                                               Duration lower, Duration upper, long samples) {
        super.reportHistogramDurationSamples(name, uniform(tags), buckets, lower, upper, samples);
    }

    static Map<String, String> uniform(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = tags == null ? null : tags.get(key);
            out.put(key, value == null || value.isEmpty() ? MetricsTag.DEFAULT_VALUE : value);
        }
        return out;
    }
}
