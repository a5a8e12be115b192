package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone Temporal and S3 of {@code dev-temporal} / {@code dev-s3}: they serve, and bad options are refused. */
class DevServicesTest {

    @Test
    void temporalServesTheFrontendApi(@TempDir Path data) throws Exception {
        try (EmbeddedTemporal temporal = (EmbeddedTemporal) DevServices.start(List.of("temporal", "--port", "0"), Map.of())) {
            InfraSettings settings = InfraSettings.from(Map.of("INSTRUCTFLOW_TEMPORAL_TARGET", temporal.target(),
                    "INSTRUCTFLOW_DATA_DIR", data.toString()));
            WorkflowClient client = TemporalConnection.connect(settings);
            try {
                assertEquals(ServingStatus.SERVING, client.getWorkflowServiceStubs().healthCheck().getStatus());
            } finally {
                TemporalConnection.close(client);
            }
        }
    }

    @Test
    void s3ServesFromTheGivenFolderWithTheConfiguredKeys(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("INSTRUCTFLOW_S3_ACCESS_KEY", "dev", "INSTRUCTFLOW_S3_SECRET_KEY", "dev-secret-key");
        try (EmbeddedS3 s3 = (EmbeddedS3) DevServices.start(List.of("s3", "--port", "0", "--dir", dir.toString()), env)) {
            // an unsigned request is an S3 error answer: the server is there and checks its keys
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(s3.endpoint() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, anonymous.statusCode(), anonymous.body());
            assertTrue(Files.isDirectory(dir));
        }
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertEquals("no service (temporal or s3)",
                assertThrows(IllegalArgumentException.class, () -> DevServices.start(List.of(), Map.of())).getMessage());
        assertEquals("unknown service 'kafka' (temporal or s3)", assertThrows(IllegalArgumentException.class,
                () -> DevServices.start(List.of("kafka"), Map.of())).getMessage());
        assertEquals("--port must be a port number (0 for any free one), got 'x'", assertThrows(IllegalArgumentException.class,
                () -> DevServices.start(List.of("temporal", "--port", "x"), Map.of())).getMessage());
        assertEquals("unknown options [--dir, d]", assertThrows(IllegalArgumentException.class,
                () -> DevServices.start(List.of("temporal", "--dir", "d"), Map.of())).getMessage());
    }
}
