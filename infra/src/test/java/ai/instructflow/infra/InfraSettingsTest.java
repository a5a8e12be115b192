package ai.instructflow.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No S3 secret is written in code: the embedded store makes its own once per data folder; an external one is told. */
class InfraSettingsTest {

    @Test
    void theEmbeddedStoreMakesItsKeysOnceOwnerOnlyAndALocalProcessJoiningItFindsThem(@TempDir Path data,
                                                                                   @TempDir Path other) throws Exception {
        InfraSettings first = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString()));
        Path file = data.resolve(LocalS3Credentials.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(first.s3SecretKey().length() >= 40, "a long random secret");
        assertNotEquals("instructflow-secret", first.s3SecretKey());
        InfraSettings again = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString()));
        assertEquals(first.s3SecretKey(), again.s3SecretKey(), "the same folder, the same keys");
        InfraSettings joining = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString(),
                "INSTRUCTFLOW_S3_ENDPOINT", "http://127.0.0.1:9000"));
        assertEquals(first.s3AccessKey(), joining.s3AccessKey(), "a worker of this platform on this machine");
        assertNotEquals(first.s3SecretKey(), InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", other.toString())).s3SecretKey());
    }

    @Test
    void anExternalStoreTakesItsKeysFromConfigurationOnly(@TempDir Path data) {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> InfraSettings.from(Map.of(
                "INSTRUCTFLOW_DATA_DIR", data.toString(), "INSTRUCTFLOW_S3_ENDPOINT", "https://minio.example:9000")));
        assertTrue(none.getMessage().contains("INSTRUCTFLOW_S3_SECRET_KEY"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString(),
                "INSTRUCTFLOW_S3_ENDPOINT", "https://minio.example:9000", "INSTRUCTFLOW_S3_ACCESS_KEY", "a")));
        InfraSettings given = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString(),
                "INSTRUCTFLOW_S3_ENDPOINT", "https://minio.example:9000", "INSTRUCTFLOW_S3_ACCESS_KEY", "a",
                "INSTRUCTFLOW_S3_SECRET_KEY", "b"));
        assertEquals("b", given.s3SecretKey());
        assertTrue(Files.notExists(data.resolve(LocalS3Credentials.FILE)), "nothing made for an external store");
    }

    @Test
    void anotherProcessGivenTheStoreVariablesReachesTheSameStore(@TempDir Path data) {
        InfraSettings store = InfraSettings.from(Map.of("INSTRUCTFLOW_DATA_DIR", data.toString(),
                "INSTRUCTFLOW_S3_ENDPOINT", "https://minio.example:9000", "INSTRUCTFLOW_S3_ACCESS_KEY", "a",
                "INSTRUCTFLOW_S3_SECRET_KEY", "b", "INSTRUCTFLOW_S3_BUCKET", "team", "INSTRUCTFLOW_S3_REGION", "eu-west-1"));
        InfraSettings other = InfraSettings.from(store.storeVariables());
        assertEquals(List.of("https://minio.example:9000", "a", "b", "team", "eu-west-1"),
                List.of(other.s3Endpoint(), other.s3AccessKey(), other.s3SecretKey(), other.bucket(), other.region()));
    }
}
