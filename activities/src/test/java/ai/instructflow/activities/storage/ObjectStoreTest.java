package ai.instructflow.activities.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.infra.EmbeddedS3;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ObjectStore against a real S3 server (s3proxy on a temporary folder), no mocks. */
class ObjectStoreTest {

    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-key";
    private static final String BUCKET = "instructflow-test";

    @TempDir
    Path dataDir;

    private EmbeddedS3 server;
    private ObjectStore store;

    @BeforeEach
    void startServer() {
        server = EmbeddedS3.start(dataDir, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        store = connect(server);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void createsTheBucketAsAFolderOfTheDataDir() {
        assertEquals(BUCKET, store.bucket());
        assertTrue(Files.isDirectory(dataDir.resolve(BUCKET)));
    }

    @Test
    void putThenGetRoundTripsBytesHashAndSize() throws Exception {
        byte[] bytes = "{\"stage\":\"sft\",\"loss\":1.25}".getBytes(StandardCharsets.UTF_8);

        ObjectStore.Stored stored = store.put("runs/r1/manifest.json", bytes, "application/json");

        assertEquals("runs/r1/manifest.json", stored.key());
        assertEquals(sha256(bytes), stored.sha256());
        assertEquals(bytes.length, stored.size());
        assertArrayEquals(bytes, store.get("runs/r1/manifest.json"));
        assertEquals(Optional.of(stored), store.stat("runs/r1/manifest.json"));
        assertEquals(sha256(bytes), store.sha256("runs/r1/manifest.json"));
        assertEquals("{\"stage\":\"sft\",\"loss\":1.25}",
                store.read("runs/r1/manifest.json", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        assertTrue(store.exists("runs/r1/manifest.json"));
    }

    @Test
    void streamedPutOfTwentyMegabytesGoesUpInOnePut() throws Exception {
        byte[] bytes = new byte[20 * 1024 * 1024 + 123];
        new Random(42).nextBytes(bytes);

        ObjectStore.Stored stored = store.put("runs/r1/ckpt/step.ckpt", out -> writeInChunks(out, bytes),
                "application/octet-stream");

        assertEquals(sha256(bytes), stored.sha256());
        String etag = serverETag("runs/r1/ckpt/step.ckpt");
        assertTrue(etag.matches("\"?\\p{XDigit}{32}\"?"), "a single PUT's ETag expected, got " + etag);
        assertArrayEquals(bytes, store.get("runs/r1/ckpt/step.ckpt"));
    }

    @Test
    void streamedPutLargerThanAPartUploadsInPartsAndRoundTrips() throws Exception {
        byte[] bytes = new byte[(int) ObjectStore.PART_SIZE + 123];
        new Random(42).nextBytes(bytes);

        ObjectStore.Stored stored = store.put("runs/r1/ckpt/policy.bin", out -> writeInChunks(out, bytes),
                "application/octet-stream");

        assertEquals(sha256(bytes), stored.sha256());
        assertEquals(bytes.length, stored.size());
        String etag = serverETag("runs/r1/ckpt/policy.bin");
        assertTrue(etag.matches("\"?\\p{XDigit}{32}-[2-9]\"?"), "multipart ETag expected, got " + etag);
        ObjectStore.Stored stat = store.stat("runs/r1/ckpt/policy.bin").orElseThrow();
        assertEquals(bytes.length, stat.size());
        assertEquals(store.sha256("runs/r1/ckpt/policy.bin"), stat.sha256());
        assertEquals(sha256(bytes), stat.sha256());
        assertArrayEquals(bytes, store.get("runs/r1/ckpt/policy.bin"));
    }

    @Test
    void streamedPutLeavesNoSpoolFileBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = spoolFiles(tmp);

        store.put("spooled.txt", out -> out.write("x".getBytes(StandardCharsets.UTF_8)), "text/plain");

        assertEquals(before, spoolFiles(tmp));
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), store.get("spooled.txt"));
    }

    @Test
    void listIsRecursiveAndSortedWhileFoldersAreOneLevel() {
        for (String key : List.of("runs/r2/spec.json", "runs/r1/sft/model.bin", "runs/r1/manifest.json",
                "runs/r1/rm/model.bin", "other/x.txt")) {
            store.put(key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
        }

        assertEquals(List.of("runs/r1/manifest.json", "runs/r1/rm/model.bin", "runs/r1/sft/model.bin"),
                store.list("runs/r1/"));
        assertEquals(List.of("runs/r1/", "runs/r2/"), store.folders("runs/"));
        assertEquals(List.of("runs/r1/rm/", "runs/r1/sft/"), store.folders("runs/r1/"));
        assertEquals(List.of(), store.list("missing/"));
        assertEquals(List.of(), store.folders("missing/"));
    }

    @Test
    void copyKeepsContentAndTheRecordedHash() {
        byte[] bytes = "reward model weights".getBytes(StandardCharsets.UTF_8);
        store.put("runs/r1/rm/model.bin", bytes, "application/octet-stream");

        store.copy("runs/r1/rm/model.bin", "registry/rm/v1/model.bin");

        assertArrayEquals(bytes, store.get("registry/rm/v1/model.bin"));
        ObjectStore.Stored copy = store.stat("registry/rm/v1/model.bin").orElseThrow();
        assertEquals(sha256(bytes), copy.sha256());
        assertEquals(bytes.length, copy.size());
        assertTrue(store.exists("runs/r1/rm/model.bin"));
    }

    @Test
    void missingKeyIsNotFoundAndStatIsEmpty() {
        ObjectStore.NotFound get = assertThrows(ObjectStore.NotFound.class, () -> store.get("nope/missing.bin"));
        assertTrue(get.getMessage().contains("nope/missing.bin"), get.getMessage());
        assertTrue(get.getMessage().contains(BUCKET), get.getMessage());
        assertThrows(ObjectStore.NotFound.class, () -> store.read("nope/missing.bin", in -> in.read()));
        assertThrows(ObjectStore.NotFound.class, () -> store.sha256("nope/missing.bin"));
        assertEquals(Optional.empty(), store.stat("nope/missing.bin"));
        assertFalse(store.exists("nope/missing.bin"));
    }

    @Test
    void deleteRemovesTheObject() {
        store.put("doomed.txt", new byte[] {1, 2, 3}, "application/octet-stream");

        store.delete("doomed.txt");

        assertFalse(store.exists("doomed.txt"));
        assertEquals(List.of(), store.list("doomed"));
    }

    @Test
    void wrongCredentialsFailAsStorageExceptionNamingTheBucket() {
        StorageConfig wrong = new StorageConfig(server.endpoint().toString(), ACCESS_KEY, "not-the-secret",
                BUCKET, "us-east-1");

        ObjectStore.StorageException e = assertThrows(ObjectStore.StorageException.class, () -> new ObjectStore(wrong));
        assertFalse(e instanceof ObjectStore.NotFound);
        assertTrue(e.getMessage().contains(BUCKET), e.getMessage());
    }

    @Test
    void presignedUrlDownloadsWithAPlainHttpGet() throws Exception {
        byte[] bytes = "evaluation report".getBytes(StandardCharsets.UTF_8);
        store.put("runs/r1/eval/report.txt", bytes, "text/plain");

        String url = store.presignedGet("runs/r1/eval/report.txt", Duration.ofMinutes(5));

        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(bytes, response.body());
        HttpResponse<byte[]> unsigned = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf('?')))).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, unsigned.statusCode());
    }

    @Test
    void objectsSurviveARestartOnTheSameFolder() {
        byte[] bytes = "durable manifest".getBytes(StandardCharsets.UTF_8);
        ObjectStore.Stored stored = store.put("runs/r1/manifest.json", bytes, "application/json");
        server.close();

        server = EmbeddedS3.start(dataDir, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        ObjectStore reopened = connect(server);

        assertArrayEquals(bytes, reopened.get("runs/r1/manifest.json"));
        assertEquals(Optional.of(stored), reopened.stat("runs/r1/manifest.json"));
        assertEquals(List.of("runs/r1/manifest.json"), reopened.list("runs/"));
    }

    /** S3 gives a multipart upload's ETag a "-parts" suffix; a single PUT's is the bare MD5. */
    private String serverETag(String key) throws Exception {
        try (MinioClient client = MinioClient.builder()
                .endpoint(server.endpoint().toString())
                .credentials(ACCESS_KEY, SECRET_KEY)
                .region("us-east-1")
                .build()) {
            return client.statObject(StatObjectArgs.builder().bucket(BUCKET).object(key).build()).etag();
        }
    }

    private static ObjectStore connect(EmbeddedS3 server) {
        return new ObjectStore(new StorageConfig(server.endpoint().toString(), ACCESS_KEY, SECRET_KEY, BUCKET,
                "us-east-1"));
    }

    private static void writeInChunks(OutputStream out, byte[] bytes) throws java.io.IOException {
        int chunk = 64 * 1024;
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            out.write(bytes, offset, Math.min(chunk, bytes.length - offset));
        }
    }

    private static List<Path> spoolFiles(Path tmp) throws java.io.IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("objectstore-")).sorted().toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
