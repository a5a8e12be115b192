package ai.instructflow.helm.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.helm.Chart;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production topology, as pods on this machine: the images that {@code ./instructflow images} builds, the chart
 * rendered with values that point at a Temporal service and an S3 server running as processes of their own
 * ({@code dev-temporal}, {@code dev-s3}) and at an identity provider's key, run by {@code podman kube play}: the API
 * and two worker pools, each pod in its own network namespace, nothing embedded. A tiny run goes in through the API
 * pod; the worker running SFT is killed (SIGKILL) after SFT's first checkpoint and started again, as a Deployment
 * replaces a pod; then a worker caught in the middle of a shard of the comparisons' SFT samples is killed too. The run
 * succeeds with SFT resumed from that checkpoint by the other pool's worker and the samples generated in shards by
 * both, the killed shard alone made again, by the other worker. Needs podman, runc and debootstrap, as root ({@code ./instructflow
 * test} installs them). Unlike a cluster, podman 4.3 publishes each pod's container ports on the host (hence free
 * ports for the API and each pool) and makes an emptyDir a named volume that the pods share.
 */
class PodTopologyIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/topology").toAbsolutePath();
    /** How the pods reach the host's processes (podman writes it into every pod's /etc/hosts). */
    private static final String HOST = "host.containers.internal";
    /**
     * SFT long enough to be caught between checkpoints and to outlast a worker's restart, its heartbeat short so a dead
     * worker's attempt times out soon; comparisons enough for six sampling shards, so that both workers take some, with
     * a heartbeat as short, so that a shard lost with its worker is given to the other one soon.
     */
    private static final String RUN = """
            {"name": "pod-topology", "preset": "tiny", "seed": 3, "demonstrations": {"count": 200},
             "sft": {"steps": 600, "batch_size": 16, "lr": 2e-3, "checkpoint_every": 10},
             "comparisons": {"prompts": 300, "held_out": 60, "k": 4, "labelers": 4},
             "rm": {"steps": 10, "batch_size": 8, "lr": 5e-4, "checkpoint_every": 5},
             "ppo": {"iterations": 4, "prompts": 100, "rollout_batch": 32, "minibatch": 16, "epochs": 2,
                     "max_new_tokens": 24, "checkpoint_every": 1},
             "evaluation": {"prompts": 40},
             "runtime": {"sft": {"heartbeat_seconds": 3, "max_attempts": 5},
                         "collect-comparisons": {"heartbeat_seconds": 3, "max_attempts": 5}}}""";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Podman podman = new Podman(ROOT);

    @Test
    void aRunThroughTheApiPodSurvivesWorkersKilledMidSftAndMidShard() throws Exception {
        Files.createDirectories(WORK);
        buildImages();
        String release = "topology-" + UUID.randomUUID().toString().substring(0, 6);
        String s3Secret = release + "-s3";
        String s3Key = UUID.randomUUID().toString();
        int temporalPort = freePort();
        int s3Port = freePort();
        int apiPort = freePort();
        Map<String, Integer> pools = Map.of("a", freePort(), "b", freePort());
        Path manifests = WORK.resolve(release + ".yaml");
        Map<String, String> s3Keys = Map.of("INSTRUCTFLOW_S3_ACCESS_KEY", "topology", "INSTRUCTFLOW_S3_SECRET_KEY", s3Key);
        try (DevService temporal = DevService.start(ROOT, "temporal", temporalPort, Map.of(), List.of(), WORK.resolve("temporal.log"));
             DevService s3 = DevService.start(ROOT, "s3", s3Port, s3Keys, List.of("--dir", WORK.resolve(release + "-s3").toString()),
                     WORK.resolve("s3.log"));
             IdentityProvider idp = new IdentityProvider(freePort())) {
            podman.secret(s3Secret, Map.of("access-key", "topology", "secret-key", s3Key));
            try {
                Files.writeString(manifests, render(release, s3Secret, temporalPort, s3Port, apiPort, pools, idp));
                podman.play(manifests);
                try {
                    String api = "http://127.0.0.1:" + apiPort;
                    await("the API pod ready, Temporal and S3 reached", Duration.ofMinutes(3),
                            () -> get(api + "/q/health/ready", null), body -> body.path("status").asString("").equals("UP"));
                    for (int port : pools.values()) {
                        await("a worker pod serving /metrics", Duration.ofMinutes(3),
                                () -> get("http://127.0.0.1:" + port + "/-/healthy", null), body -> true);
                    }
                    String admin = idp.token("topology-admin", "admin", Duration.ofHours(1));
                    String id = post(api + "/api/v1/runs", admin, RUN).path("id").asString();

                    JsonNode running = await("SFT running, checkpointed", Duration.ofMinutes(5),
                            () -> sft(get(api + "/api/v1/runs/" + id, admin)),
                            sft -> sft.path("status").asString("").equals("running") && sft.path("checkpoint_step").asLong(0) >= 10
                                    && last(sft).path("status").asString("").equals("running"));
                    long checkpointed = running.path("checkpoint_step").asLong();
                    String killed = last(running).path("worker").asString();  // pid@pod: the pod's hostname
                    String pod = pod(killed);
                    podman.kill(pod + "-worker");
                    await("SFT resumed by the other worker", Duration.ofMinutes(2), () -> sft(get(api + "/api/v1/runs/" + id, admin)),
                            sft -> last(sft).path("status").asString("").equals("running")
                                    && !last(sft).path("worker").asString("").equals(killed));
                    // then, as a Deployment replaces a lost pod, the killed worker's is back before SFT ends, to take shards
                    podman.restart(pod);
                    for (int port : pools.values()) {
                        await("both workers serving again", Duration.ofMinutes(2),
                                () -> get("http://127.0.0.1:" + port + "/-/healthy", null), body -> true);
                    }
                    assertEquals("running", sft(get(api + "/api/v1/runs/" + id, admin)).path("status").asString(),
                            "SFT outlasted the worker's restart, so both workers are there for the comparisons' shards");
                    PendingShards.Held lost;
                    try (PendingShards pending = new PendingShards("127.0.0.1:" + temporalPort)) {
                        lost = killMidShard(pending, id);
                    }

                    JsonNode run = await("the run ended", Duration.ofMinutes(10), () -> get(api + "/api/v1/runs/" + id, admin),
                            r -> List.of("succeeded", "failed", "cancelled").contains(r.path("status").asString("")));
                    assertEquals("succeeded", run.path("status").asString(), run.toString());
                    JsonNode sft = sft(run);
                    JsonNode first = sft.path("attempts").get(0);
                    JsonNode finished = last(sft);
                    assertEquals(killed, first.path("worker").asString(), "the killed worker's attempt comes first");
                    assertEquals("lost", first.path("status").asString(), "the killed worker's attempt: " + sft);
                    assertNotEquals(killed, finished.path("worker").asString(), "another pod finished SFT");
                    assertTrue(finished.path("worker").asString().contains("-worker-"), finished.toString());
                    assertTrue(finished.path("resumed_from_step").asLong() >= checkpointed,
                            "resumed from step " + finished.path("resumed_from_step") + ", a checkpoint at " + checkpointed + " existed");
                    // the comparisons' SFT samples, generated in shards: both workers took some
                    JsonNode shards = stage(run, "collect-comparisons").path("shards");
                    Map<String, Integer> shardsBy = new TreeMap<>();
                    shards.forEach(s -> shardsBy.merge(s.path("worker").asString(), 1, Integer::sum));
                    assertEquals(Set.of(killed, finished.path("worker").asString()), shardsBy.keySet(), "the shards: " + shards);
                    // the shard its worker was killed in is the only one made again, by the other worker
                    List<JsonNode> again = new ArrayList<>();
                    shards.forEach(s -> {
                        if (s.path("attempt").asInt() > 1) {
                            again.add(s);
                        }
                    });
                    assertEquals(1, again.size(), "one shard made again after " + lost + ": " + shards);
                    assertEquals(lost.attempt() + 1, again.get(0).path("attempt").asInt(), again.toString());
                    assertNotEquals(lost.worker(), again.get(0).path("worker").asString(), again.toString());
                    System.out.printf("pod topology: %s killed in SFT at checkpoint %d; %s resumed it from step %d "
                                    + "(attempt %d); comparison shards by worker %s, %s killed in shard %d of %d, made again "
                                    + "by %s; the run succeeded, wall %s s%n", killed, checkpointed,
                            finished.path("worker").asString(), finished.path("resumed_from_step").asLong(),
                            finished.path("number").asInt(), shardsBy, lost.worker(), again.get(0).path("shard").asInt(),
                            shards.size(), again.get(0).path("worker").asString(), run.path("timing").path("wall_seconds"));
                } finally {
                    for (String container : podman.containers()) {
                        if (container.startsWith(release)) {
                            Files.writeString(WORK.resolve(container + ".log"), podman.logs(container));
                        }
                    }
                    podman.down(manifests);
                }
            } finally {
                podman.removeSecret(s3Secret);
            }
        }
    }

    /**
     * Kills a worker in the middle of a shard: once both workers have held shards and one holds its second (so each
     * made one at least), that one is frozen, seen by the service still holding the shard (it cannot finish it
     * meanwhile), and killed. Returns the shard activity it held.
     */
    private PendingShards.Held killMidShard(PendingShards pending, String runId) throws InterruptedException {
        Map<String, Set<String>> seen = new TreeMap<>();  // worker -> the shard activities it was seen holding
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (System.nanoTime() < deadline) {
            List<PendingShards.Held> held = pending.held(runId);
            held.forEach(h -> seen.computeIfAbsent(h.worker(), w -> new TreeSet<>()).add(h.activityId()));
            for (PendingShards.Held h : held) {
                if (seen.size() == 2 && seen.get(h.worker()).size() >= 2) {
                    String container = pod(h.worker()) + "-worker";
                    podman.freeze(container);
                    if (pending.held(runId).contains(h)) {
                        podman.kill(container);
                        return h;
                    }
                    podman.thaw(container);  // it finished the shard just before: try the next one
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no worker caught mid-shard within 8 minutes; shards seen held: " + seen);
    }

    /** The pod a worker runs in: its identity is pid@hostname, and a pod's hostname is its name. */
    private static String pod(String worker) {
        return worker.substring(worker.indexOf('@') + 1);
    }

    /** {@code ./instructflow images}, tagged with the project version: the chart's appVersion and so its default tag. */
    private static void buildImages() throws IOException, InterruptedException {
        Path log = WORK.resolve("images.log");
        Process build = new ProcessBuilder("bash", ROOT.resolve("images/build.sh").toString(), "--tag",
                System.getProperty("project.version")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertEquals(0, build.waitFor(), "images/build.sh:\n" + Files.readString(log));
    }

    private static String render(String release, String s3Secret, int temporalPort, int s3Port, int apiPort,
                                 Map<String, Integer> pools, IdentityProvider idp) throws IOException {
        List<String> workers = new ArrayList<>();
        pools.forEach((name, port) -> workers.add("{name: %s, metricsPort: %d}".formatted(name, port)));
        Path values = WORK.resolve(release + "-values.yaml");
        Files.writeString(values, """
                image: {registry: localhost}
                temporal: {address: "%s:%d"}
                s3: {endpoint: "http://%s:%d", credentials: {secretName: %s}}
                auth: {publicKey: {location: "http://%s:%d%s"}}
                api: {replicas: 1, containerPort: %d}
                workers: [%s]
                """.formatted(HOST, temporalPort, HOST, s3Port, s3Secret, HOST, idp.port(), IdentityProvider.KEY_PATH,
                apiPort, String.join(", ", workers)));
        return new Chart(ROOT.resolve("helm/instructflow")).template(release, "default", List.of(values), Map.of());
    }

    private JsonNode get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return answer(request.GET().build(), 200);
    }

    private JsonNode post(String url, String token, String body) throws IOException, InterruptedException {
        return answer(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
    }

    private JsonNode answer(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(request.method() + " " + request.uri() + ": " + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (JacksonException notJson) {
            return JSON.getNodeFactory().textNode(response.body());  // a worker's /-/healthy answers in plain text
        }
    }

    private static JsonNode sft(JsonNode run) {
        return stage(run, "sft");
    }

    private static JsonNode stage(JsonNode run, String id) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("stage").asString("").equals(id)) {
                return stage;
            }
        }
        return JSON.createObjectNode();
    }

    private static JsonNode last(JsonNode stage) {
        JsonNode attempts = stage.path("attempts");
        return attempts.isEmpty() ? JSON.createObjectNode() : attempts.get(attempts.size() - 1);
    }

    private interface Probe {
        JsonNode read() throws IOException, InterruptedException;
    }

    /** Polls {@code probe} (a failed read counts as not yet) until {@code done} holds; returns what it read then. */
    private static JsonNode await(String what, Duration timeout, Probe probe, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing read";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode read = probe.read();
                if (done.test(read)) {
                    return read;
                }
                last = read.toString();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + timeout + ": " + what + "; last: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
