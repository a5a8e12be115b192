package ai.instructflow.infra;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A client for the configured Temporal service: plain gRPC, or mutual TLS when a certificate is given. */
public final class TemporalConnection {

    private TemporalConnection() {}

    public static WorkflowClient connect(InfraSettings settings) {
        if (settings.embeddedTemporal()) {
            throw new IllegalStateException("start the embedded Temporal service first (Infrastructure.start)");
        }
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.temporalTarget());
        if (settings.tlsCert() != null) {
            try (InputStream cert = new FileInputStream(settings.tlsCert());
                 InputStream key = new FileInputStream(settings.tlsKey())) {
                options.setSslContext(SimpleSslContextBuilder.forPKCS8(cert, key).build());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Temporal TLS certificate or key", e);
            }
        }
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
        return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(settings.namespace()).build());
    }
}
