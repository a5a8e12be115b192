package ai.instructflow.infra;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A client for the configured Temporal service: plain gRPC, or mutual TLS when a certificate is given.
 * Given a Micrometer registry, the SDK's own metrics (requests, polls, workflow and activity
 * executions and failures, task slots) go into it, for the client and every worker built on it
 * ({@link TemporalMetricsReporter}).
 */
public final class TemporalConnection {

    /** How often the SDK's metrics scope hands what it buffered to Micrometer: finer than any scrape interval. */
    private static final com.uber.m3.util.Duration REPORT_EVERY = com.uber.m3.util.Duration.ofSeconds(1);

    private TemporalConnection() {}

    public static WorkflowClient connect(InfraSettings settings) {
        return connect(settings, null);
    }

    public static WorkflowClient connect(InfraSettings settings, MeterRegistry metrics) {
        if (settings.embeddedTemporal()) {
            throw new IllegalStateException("start the embedded Temporal service first (Infrastructure.start)");
        }
        return connect(WorkflowServiceStubsOptions.newBuilder().setTarget(settings.temporalTarget()), settings, metrics);
    }

    /** A client over {@code channel}, which stays open when the client closes: its owner closes it. */
    static WorkflowClient connect(ManagedChannel channel, InfraSettings settings, MeterRegistry metrics) {
        return connect(WorkflowServiceStubsOptions.newBuilder().setChannel(channel), settings, metrics);
    }

    private static WorkflowClient connect(WorkflowServiceStubsOptions.Builder options, InfraSettings settings,
                                          MeterRegistry metrics) {
        if (settings.tlsCert() != null) {
            try (InputStream cert = new FileInputStream(settings.tlsCert());
                 InputStream key = new FileInputStream(settings.tlsKey())) {
                options.setSslContext(SimpleSslContextBuilder.forPKCS8(cert, key).build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Temporal TLS certificate or key", e);
            }
        }
        if (metrics != null) {
            options.setMetricsScope(new RootScopeBuilder().reporter(new TemporalMetricsReporter(metrics))
                    .reportEvery(REPORT_EVERY));
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
        return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(settings.namespace()).build());
    }

    /**
     * Whether the service hands a dead worker's sticky workflow tasks to another worker after their
     * sticky timeout. A Temporal server does, and says which version it is; the in-memory service
     * (the embedded one, {@link EmbeddedTemporal}, also run on its own by {@code dev-temporal}) names no
     * version and never moves them: there a worker in another process than the service must not keep
     * workflows sticky, or its death would strand them.
     */
    public static boolean movesStickyTasks(WorkflowClient client) {
        return !client.getWorkflowServiceStubs().blockingStub()
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion().isEmpty();
    }

    /** Closes the connection and its metrics scope, whose reporting thread would otherwise keep the JVM alive. */
    public static void close(WorkflowClient client) {
        WorkflowServiceStubs service = client.getWorkflowServiceStubs();
        service.shutdownNow();
        Scope scope = service.getOptions().getMetricsScope();
        try {
            if (scope != null) {
                scope.close();
            }
        } catch (ScopeCloseException e) {
            // its last report did not reach the registry: nothing is waiting for it at shutdown
        }
    }
}
