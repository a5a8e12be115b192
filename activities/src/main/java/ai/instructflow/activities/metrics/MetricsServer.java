package ai.instructflow.activities.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A worker's {@code /metrics}: the Prometheus Java client's HTTP server over its registry. The code
 * records through Micrometer on top of that registry, because the same code (the labeling client)
 * also runs in the API, whose Quarkus registry is Micrometer's, and Temporal's SDK reports through
 * Micrometer too.
 */
public final class MetricsServer implements AutoCloseable {

    private final PrometheusMeterRegistry meters;
    private final HTTPServer server;
    private final String host;

    private MetricsServer(PrometheusMeterRegistry meters, HTTPServer server, String host) {
        this.meters = meters;
        this.server = server;
        this.host = host;
    }

    /** Listens on {@code host:port}; port 0 takes any free one. */
    public static MetricsServer start(String host, int port) {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
        try {
            HTTPServer server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
            return new MetricsServer(meters, server, host);
        } catch (IOException e) {
            meters.close();
            throw new UncheckedIOException("cannot serve /metrics on " + host + ":" + port + ": " + e.getMessage()
                    + " (INSTRUCTFLOW_METRICS_PORT picks another port, 0 any free one)", e);
        }
    }

    public MeterRegistry meters() {
        return meters;
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://" + host + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        server.close();
        meters.close();
    }
}
