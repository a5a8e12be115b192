package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TemporalMetricsReporterTest {

    @Test
    void aWorkersRegistryKeepsAMetricReportedWithAndWithoutAnUpdateName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                Clock.SYSTEM);
        reportsEveryCall(registry, registry::scrape);
    }

    /** Quarkus 3.37's registry (the API's) is Micrometer's simpleclient one, which throws at the second set of keys. */
    @Test
    @SuppressWarnings("deprecation")
    void theApisRegistryKeepsAMetricReportedWithAndWithoutAnUpdateName() {
        io.micrometer.prometheus.PrometheusMeterRegistry registry =
                new io.micrometer.prometheus.PrometheusMeterRegistry(io.micrometer.prometheus.PrometheusConfig.DEFAULT);
        reportsEveryCall(registry, registry::scrape);
    }

    private static void reportsEveryCall(MeterRegistry registry, Supplier<String> scrape) {
        TemporalMetricsReporter reporter = new TemporalMetricsReporter(registry);
        // as the SDK reports a long poll, then an Update (the labeling queues' lease and submit)
        reporter.reportTimer("temporal_long_request_latency",
                Map.of("namespace", "default", "operation", "PollActivityTaskQueue"), Duration.ofMillis(20));
        reporter.reportTimer("temporal_long_request_latency", Map.of("namespace", "default", "operation",
                "UpdateWorkflowExecution", "update_name", "submit"), Duration.ofMillis(30));
        reporter.reportCounter("temporal_request", Map.of("operation", "StartWorkflowExecution", "brand_new_tag", "x"), 1);

        String text = scrape.get();
        assertTrue(text.contains("operation=\"PollActivityTaskQueue\""), text);
        assertTrue(text.contains("update_name=\"submit\""), text);
        assertTrue(text.contains("update_name=\"none\""), text);
        assertTrue(text.contains("temporal_request_total{"), text);
        assertFalse(text.contains("brand_new_tag"), "keys the SDK does not define are dropped: " + text);
    }
}
