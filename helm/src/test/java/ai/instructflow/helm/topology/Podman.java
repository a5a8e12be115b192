package ai.instructflow.helm.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The podman commands the topology test runs, with the project's containers.conf (runc, cgroupfs, no default
 * ulimits: {@code images/containers.conf}), each waited for and its output returned.
 */
final class Podman {

    private final Path root;

    Podman(Path root) {
        this.root = root;
    }

    /** {@code podman kube play FILE}: every Deployment in it as a pod; the kinds podman does not run are passed over. */
    void play(Path manifests) {
        run(List.of("kube", "play", manifests.toString()), null);
    }

    /** {@code podman kube down FILE}: its pods stopped and removed. */
    void down(Path manifests) {
        run(List.of("kube", "down", manifests.toString()), null);
    }

    /** SIGKILL to a container: the process ends without a word, as when a node dies; returns once it has. */
    void kill(String container) {
        run(List.of("kill", container), null);
        run(List.of("wait", container), null);
    }

    /** SIGSTOP to a container: its process is frozen where it is, sending nothing more, until killed or thawed. */
    void freeze(String container) {
        run(List.of("kill", "--signal", "STOP", container), null);
    }

    void thaw(String container) {
        run(List.of("kill", "--signal", "CONT", container), null);
    }

    /**
     * Starts a pod whose container was killed, as a Deployment replaces a lost pod. The pod is stopped first: a kube
     * play pod stops its infra container once its last container has exited, which, coming late, would stop the
     * restarted one again.
     */
    void restart(String pod) {
        run(List.of("pod", "stop", "--time", "0", pod), null);
        run(List.of("pod", "start", pod), null);
    }

    String logs(String container) {
        return run(List.of("logs", container), null);
    }

    /** The names of the containers, running or not. */
    List<String> containers() {
        return run(List.of("ps", "--all", "--format", "{{.Names}}"), null).lines().toList();
    }

    /**
     * A podman secret for {@code secretKeyRef}: podman's kube play reads a Kubernetes Secret's {@code data} from a
     * podman secret of that name holding the keys and their base64 values as JSON.
     */
    void secret(String name, Map<String, String> data) {
        StringBuilder json = new StringBuilder("{");
        new TreeMap<>(data).forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k)
                .append("\":\"").append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))).append('"'));
        run(List.of("secret", "create", name, "-"), json.append('}').toString());
    }

    void removeSecret(String name) {
        run(List.of("secret", "rm", name), null);
    }

    private String run(List<String> args, String stdin) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(args);
        try {
            Path out = Files.createTempFile("podman", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().put("CONTAINERS_CONF", root.resolve("images/containers.conf").toString());
                Process p = pb.start();
                if (stdin != null) {
                    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": no answer in 5 minutes");
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
