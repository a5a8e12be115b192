package ai.instructflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real Prometheus for tests: Debian's {@code prometheus} on a free loopback port, with a config
 * the test writes and its data in a temporary folder, queried through its HTTP API; and
 * {@code promtool}. Where they are missing the test fails saying what to install ({@code .ci/run}
 * installs them).
 */
public final class Prometheus implements AutoCloseable {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Debian's Prometheus is ready within seconds; a busy CI machine gets more. */
    private static final Duration READY = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private Prometheus(Path dir, Process process, URI base) {
        this.dir = dir;
        this.process = process;
        this.base = base;
    }

    /** Starts Prometheus on {@code config} with {@code files} (path in its folder -> source) beside it; returns once it is ready. */
    public static Prometheus start(String config, Map<String, Path> files) throws IOException, InterruptedException {
        requireExecutable(PROMETHEUS);
        Path dir = Files.createTempDirectory("instructflow-prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path to = dir.resolve(f.getKey());
            Files.createDirectories(to.getParent());
            Files.copy(f.getValue(), to);
        }
        int port = FreePorts.loopback();
        Process process = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Prometheus prometheus = new Prometheus(dir, process, URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitReady();
        } catch (RuntimeException | Error | InterruptedException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** Runs promtool with these arguments; its output, or an AssertionError with it when it fails. */
    public static String promtool(String... args) throws IOException, InterruptedException {
        requireExecutable(PROMTOOL);
        Process p = new ProcessBuilder(Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("promtool " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    /** GET an API path with query parameters: the JSON body, whatever the status (errors say why in it). */
    public JsonNode get(String path, Map<String, String> params) throws IOException, InterruptedException {
        String query = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** What Prometheus said on its console: for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus was not ready within " + READY + ":\n" + log());
    }

    private static void requireExecutable(Path path) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: the monitoring tests run Debian's Prometheus; install it "
                    + "with `apt-get install prometheus` (.ci/run does so on CI)");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
