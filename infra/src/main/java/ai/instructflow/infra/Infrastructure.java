package ai.instructflow.infra;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;

/**
 * Starts whatever the settings mark as embedded and hands back settings that point at running
 * endpoints only, so the rest of the platform connects the same way to embedded and external parts.
 */
public final class Infrastructure implements AutoCloseable {

    private final InfraSettings resolved;
    private final EmbeddedTemporal temporal;
    private final EmbeddedS3 s3;

    private Infrastructure(InfraSettings resolved, EmbeddedTemporal temporal, EmbeddedS3 s3) {
        this.resolved = resolved;
        this.temporal = temporal;
        this.s3 = s3;
    }

    /**
     * Embedded parts bind to loopback; {@code temporalPort} and {@code s3Port} may be 0 for any free
     * port (tests) or fixed so that workers in other processes can find them.
     */
    public static Infrastructure start(InfraSettings settings, int temporalPort, int s3Port) {
        EmbeddedTemporal temporal = settings.embeddedTemporal() ? EmbeddedTemporal.start("127.0.0.1", temporalPort) : null;
        EmbeddedS3 s3 = null;
        try {
            if (settings.embeddedS3()) {
                s3 = EmbeddedS3.start(settings.dataDir().resolve("s3"), "127.0.0.1", s3Port,
                        settings.s3AccessKey(), settings.s3SecretKey());
            }
        } catch (RuntimeException e) {
            if (temporal != null) {
                temporal.close();
            }
            throw e;
        }
        InfraSettings resolved = settings.at(temporal != null ? temporal.target() : settings.temporalTarget(),
                s3 != null ? s3.endpoint().toString() : settings.s3Endpoint());
        return new Infrastructure(resolved, temporal, s3);
    }

    public InfraSettings settings() {
        return resolved;
    }

    /**
     * A client of the Temporal service: in-process when this process embeds it, so that calls from
     * the API and its worker cost no socket or serialization; over the network otherwise.
     */
    public WorkflowClient connect(MeterRegistry metrics) {
        return temporal != null ? TemporalConnection.connect(temporal.channel(), resolved, metrics)
                : TemporalConnection.connect(resolved, metrics);
    }

    /** Whether the Temporal service runs in this process (it lives and dies with the process's workers). */
    public boolean embedsTemporal() {
        return temporal != null;
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
        if (temporal != null) {
            temporal.close();
        }
    }
}
