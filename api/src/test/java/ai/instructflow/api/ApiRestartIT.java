package ai.instructflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.worker.WorkerMain;
import ai.instructflow.infra.EmbeddedS3;
import ai.instructflow.infra.EmbeddedTemporal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.build.Jwt;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API process is killed (SIGKILL) and started again while labelers submit, as a rolling restart
 * or a crashed replica would, and later the object store goes away for 30 seconds: each labeler's
 * client retries what got no answer or a 503, and in the end every task holds exactly one label,
 * the one its labeler sent: none lost, none counted twice. The production set-up throughout: nothing embedded in the API, tokens from
 * an identity provider (here, a key this test holds), a worker process of its own.
 */
class ApiRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://idp.example.test";
    private static final String ADMIN = "restart-drill-admin";
    /** Demonstrations asked for: the queue holds about as many tasks, and wants them all. */
    private static final int TASKS = 30;
    private static final int LABELERS = 6;
    private static final String RUN = """
            {"name": "api-restart", "labelers": "human", "demonstrations": {"count": %d}, "sft": {"steps": 5}}
            """.formatted(TASKS);
    private static final String QUEUE = "collect-demonstrations";
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String api;

    @Test
    void labelsSubmittedAcrossARestartOfTheApiAreEachCountedOnce() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path publicKey = data.resolve("public-key.pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        int port = FreePorts.loopback();
        api = "http://127.0.0.1:" + port;
        EmbeddedS3 s3 = EmbeddedS3.start(data.resolve("s3"), "127.0.0.1", 0, "drill", "drill-secret");
        int s3Port = s3.endpoint().getPort();
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start("127.0.0.1", 0)) {
            Map<String, String> platform = Map.of("INSTRUCTFLOW_TEMPORAL_TARGET", temporal.target(),
                    "INSTRUCTFLOW_S3_ENDPOINT", s3.endpoint().toString(),
                    "INSTRUCTFLOW_S3_ACCESS_KEY", "drill", "INSTRUCTFLOW_S3_SECRET_KEY", "drill-secret",
                    "INSTRUCTFLOW_METRICS_PORT", "0", "INSTRUCTFLOW_DATA_DIR", data.toString());
            Process worker = start(platform, Map.of(), "worker", List.of("-cp", System.getProperty("java.class.path"),
                    WorkerMain.class.getName()));
            Map<String, String> apiSettings = Map.of("INSTRUCTFLOW_WORKER_ENABLED", "false",
                    "INSTRUCTFLOW_AUTH_EMBEDDED", "false", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString(),
                    "MP_JWT_VERIFY_ISSUER", ISSUER, "INSTRUCTFLOW_ADMIN_TOKEN", ADMIN, "QUARKUS_HTTP_PORT",
                    Integer.toString(port));
            Process first = startApi(platform, apiSettings, "api-1");
            Process second = null;
            ExecutorService labelers = Executors.newFixedThreadPool(LABELERS);
            try {
                String run = call("POST", "/api/v1/runs", ADMIN, RUN).path("id").asText();
                awaitQueue(run);
                int quota = call("GET", "/api/v1/runs/" + run + "/labeling/" + QUEUE, ADMIN, null).path("quota").asInt();

                Map<Integer, String> sent = new ConcurrentHashMap<>();
                AtomicInteger accepted = new AtomicInteger();
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < LABELERS; i++) {
                    String name = "labeler-" + i;
                    String token = Jwt.issuer(ISSUER).subject(name).groups(Set.of("labeler"))
                            .expiresIn(Duration.ofHours(1)).sign(key.getPrivate());
                    done.add(labelers.submit(() -> label(run, name, token, sent, accepted)));
                }
                while (accepted.get() < TASKS / 3) {
                    Thread.sleep(50);  // polling the labelers' progress; they run on regardless
                }
                first.destroyForcibly();
                first.waitFor();
                second = startApi(platform, apiSettings, "api-2");
                while (accepted.get() < 2 * TASKS / 3) {
                    Thread.sleep(50);
                }
                // then the object store goes away for 30 s: submissions get 503 and are sent again
                s3.close();
                Thread.sleep(OUTAGE.toMillis());  // the outage itself, not a wait for anything
                s3 = EmbeddedS3.start(data.resolve("s3"), "127.0.0.1", s3Port, "drill", "drill-secret");
                for (Future<?> f : done) {
                    f.get();
                }

                assertTrue(sent.size() >= quota, sent.size() + " tasks answered, the queue wanted " + quota);
                awaitCollected(run);
                String exported = text("GET", "/api/v1/runs/" + run + "/datasets/demonstrations?split=all");
                List<String> completions = exported.lines().map(l -> read(l).path("completion").asText()).sorted().toList();
                assertEquals(sent.values().stream().sorted().toList(), completions,
                        "each task's label exactly once, as its labeler sent it");
                call("POST", "/api/v1/runs/" + run + "/cancel", ADMIN, null);
            } finally {
                labelers.shutdownNow();
                first.destroyForcibly();
                if (second != null) {
                    second.destroyForcibly();
                }
                worker.destroyForcibly();
            }
        } finally {
            s3.close();
        }
    }

    /**
     * One labeler's client: leases and answers until nothing is left, retrying any call that got no
     * answer (connection refused or reset while the API was down, a 5xx) with the same body.
     */
    private Void label(String run, String name, String token, Map<Integer, String> sent, AtomicInteger accepted)
            throws Exception {
        String base = "/api/v1/runs/" + run + "/labeling/" + QUEUE;
        while (true) {
            JsonNode lease = retried("POST", base + "/lease", token, null);
            if (lease.path("task").isNull() || lease.path("task").isMissingNode()) {
                if (!lease.path("queue").path("open").asBoolean(false) || lease.path("queue").path("available").asInt() == 0
                        && lease.path("queue").path("leased").asInt() == 0) {
                    return null;
                }
                Thread.sleep(100);  // others hold the rest; their leases end in a submit or expire
                continue;
            }
            int task = lease.path("task").path("id").asInt();
            String completion = "answer to task " + task + " by " + name;
            JsonNode answer = retried("POST", base + "/submissions", token, JSON.writeValueAsString(Map.of(
                    "task_id", task, "submission_id", name + "-" + task, "completion", completion)));
            if (answer.path("accepted").asBoolean() || answer.path("duplicate").asBoolean()) {
                sent.put(task, completion);
                accepted.incrementAndGet();
            }
        }
    }

    private JsonNode retried(String method, String path, String token, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = send(method, path, token, body);
                if (response.statusCode() < 500) {
                    return read(response.body());
                }
            } catch (IOException e) {
                // the API is down or restarting: the client tries again, as a browser's retry would
            }
            assertTrue(System.nanoTime() < deadline, method + " " + path + " got no answer for 3 minutes");
            Thread.sleep(100);
        }
    }

    private JsonNode call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, token, body);
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " " + response.body());
        return read(response.body());
    }

    private String text(String method, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, ADMIN, null);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the demonstrations stage to have stored what its queue collected. */
    private void awaitCollected(String run) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!"succeeded".equals(call("GET", "/api/v1/runs/" + run, ADMIN, null).path("stages").path(0).path("status").asText())) {
            assertTrue(System.nanoTime() < deadline, "the demonstrations of run " + run + " were not collected");
            Thread.sleep(200);
        }
    }

    private void awaitQueue(String run) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (send("GET", "/api/v1/runs/" + run + "/labeling/" + QUEUE, ADMIN, null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the queue of run " + run + " did not open");
            Thread.sleep(200);
        }
    }

    private Process startApi(Map<String, String> platform, Map<String, String> settings, String log) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Process process = start(platform, settings, log, List.of("-jar", jar.toString(), "serve"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "the API did not become ready (" + log + ".log)");
            Thread.sleep(200);
        }
    }

    private Process start(Map<String, String> platform, Map<String, String> settings, String log, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(platform);
        pb.environment().putAll(settings);
        pb.redirectErrorStream(true);
        pb.redirectOutput(new File("target", "restart-drill-" + log + ".log"));
        return pb.start();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
