package ai.instructflow.helm.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code instructflow dev-temporal} or {@code dev-s3} as a process of its own (the infra module's
 * {@code DevServices}, on the class path the launcher uses), listening on every interface so that pods reach it
 * through the host's address, as a cluster's pods reach its Temporal and MinIO.
 */
final class DevService implements AutoCloseable {

    private final Process process;

    private DevService(Process process) {
        this.process = process;
    }

    /** Starts {@code service} (temporal or s3) and returns once it says how to join it. */
    static DevService start(Path root, String service, int port, Map<String, String> env, List<String> more, Path log)
            throws IOException, InterruptedException {
        Path infra = root.resolve("infra/target");
        if (!Files.isRegularFile(infra.resolve("classpath.txt"))) {
            throw new IllegalStateException(infra + "/classpath.txt is missing: build the infra module first");
        }
        String classPath = infra.resolve("classes") + ":" + Files.readString(infra.resolve("classpath.txt")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "ai.instructflow.infra.DevServices", service, "--host", "0.0.0.0", "--port", "" + port));
        command.addAll(more);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        DevService started = new DevService(pb.start());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.readString(log).contains("join with:")) {
            if (!started.process.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("dev-" + service + " did not start:\n" + Files.readString(log));
            }
            // polled: another process's output gives nothing to wait on
            Thread.sleep(100);
        }
        return started;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
