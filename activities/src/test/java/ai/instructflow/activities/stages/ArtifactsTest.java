package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.EmbeddedS3;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.Failures;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts read back against a real S3 server: a reader sees only the bytes their producer recorded. */
class ArtifactsTest {

    @TempDir
    Path data;

    private EmbeddedS3 server;
    private ObjectStore store;
    private Artifacts artifacts;

    @BeforeEach
    void start() {
        server = EmbeddedS3.start(data, "127.0.0.1", 0, "test-access", "test-secret-key");
        store = new ObjectStore(new StorageConfig(server.endpoint().toString(), "test-access", "test-secret-key",
                "artifacts-test", "us-east-1"));
        artifacts = new Artifacts(store);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void smallAndLargeArtifactsReadBackWhole() throws Exception {
        for (int size : new int[] {0, 1000, Artifacts.IN_MEMORY + 12345}) {
            byte[] bytes = random(size);
            Artifact a = artifacts.save("blob", "blobs/" + size, 1, out -> out.write(bytes), "application/octet-stream");
            assertArrayEquals(bytes, artifacts.load(a, in -> in.readAllBytes()), "size " + size);
        }
        assertEquals(0, spooled(), "the temporary file of the large one is gone");
    }

    @Test
    void aChangedArtifactIsRefusedBeforeItsReaderSeesAByte() throws Exception {
        for (int size : new int[] {1000, Artifacts.IN_MEMORY + 12345}) {
            byte[] bytes = random(size);
            Artifact a = artifacts.save("blob", "blobs/" + size, 1, out -> out.write(bytes), "application/octet-stream");
            bytes[size / 2] ^= 1;  // same length, one bit changed
            store.put(a.key(), bytes, "application/octet-stream");
            assertRefused(a, "sha256");
        }
        assertEquals(0, spooled());
    }

    @Test
    void anArtifactLongerThanRecordedIsRefusedWithoutReadingItAll() throws Exception {
        byte[] bytes = random(1000);
        Artifact a = artifacts.save("blob", "blobs/grown", 1, out -> out.write(bytes), "application/octet-stream");
        // what a parser would be handed from a forged object: far more than the producer wrote
        store.put(a.key(), out -> {
            byte[] chunk = random(1 << 20);
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
        }, "application/octet-stream");
        assertRefused(a, "longer than the 1000 bytes recorded");
    }

    private void assertRefused(Artifact a, String reason) {
        AtomicBoolean read = new AtomicBoolean();
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> artifacts.load(a, in -> {
            read.set(true);
            return in.readAllBytes();
        }));
        assertEquals(Failures.INVALID_INPUT, e.getType());
        assertTrue(e.getOriginalMessage().contains("is corrupt") && e.getOriginalMessage().contains(reason),
                e.getOriginalMessage());
        assertFalse(read.get(), "the reader was handed unverified bytes");
    }

    private static long spooled() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("instructflow-artifact-")).count();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
