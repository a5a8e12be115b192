package ai.instructflow.api.platform;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when both real parts answer: the Temporal frontend and the bucket in object storage. */
@Readiness
@ApplicationScoped
public class PlatformReadiness implements HealthCheck {

    @Inject
    Platform platform;

    @Override
    public HealthCheckResponse call() {
        boolean temporal;
        boolean storage;
        try {
            temporal = platform.client().getWorkflowServiceStubs().healthCheck().getStatus() == ServingStatus.SERVING;
        } catch (RuntimeException e) {
            temporal = false;
        }
        try {
            platform.runs().objects().exists("runs/");
            storage = true;
        } catch (RuntimeException e) {
            storage = false;
        }
        return HealthCheckResponse.named("platform").status(temporal && storage)
                .withData("temporal", platform.settings().temporalTarget())
                .withData("temporal_up", temporal)
                .withData("object_storage", platform.settings().s3Endpoint())
                .withData("object_storage_up", storage)
                .build();
    }
}
