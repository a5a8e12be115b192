package ai.instructflow.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code instructflow dev-temporal} and {@code instructflow dev-s3}: the Temporal service and the S3 server that the
 * platform embeds, each run as a process of its own. The API and the workers can then run with nothing embedded, as
 * they do on a cluster (API replicas with {@code INSTRUCTFLOW_WORKER_ENABLED=false}, worker pools, the chart's pods
 * under {@code podman kube play}), on one machine. Both are the embedded ones: Temporal keeps no history across a
 * restart; S3 keeps its objects in a folder. Loopback unless {@code --host} says otherwise.
 */
public final class DevServices {

    static final String USAGE = """
            usage: instructflow dev-temporal [--host H] [--port 7233]
                   instructflow dev-s3 [--host H] [--port 9000] [--dir DIR]
              the embedded Temporal service or S3 server as a process of its own; the S3 keys are
              INSTRUCTFLOW_S3_ACCESS_KEY / INSTRUCTFLOW_S3_SECRET_KEY, its folder DIR [INSTRUCTFLOW_DATA_DIR/s3]
            """;

    private DevServices() {}

    public static void main(String[] args) throws InterruptedException {
        AutoCloseable service;
        try {
            service = start(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.print("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("error stopping: " + e);
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts the service {@code args} name, prints the line processes join it with, and returns it running. */
    static AutoCloseable start(List<String> args, Map<String, String> env) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no service (temporal or s3)");
        }
        List<String> options = new ArrayList<>(args.subList(1, args.size()));
        String host = option(options, "--host", "127.0.0.1");
        switch (args.get(0)) {
            case "temporal" -> {
                int port = PortNumber.parse("--port", option(options, "--port", "7233"));
                noneLeft(options);
                EmbeddedTemporal temporal = EmbeddedTemporal.start(host, port);
                System.out.println("Temporal (in memory, no history across restarts) on " + temporal.target()
                        + "; namespace default\njoin with: INSTRUCTFLOW_TEMPORAL_TARGET=" + temporal.target());
                return temporal;
            }
            case "s3" -> {
                InfraSettings defaults = InfraSettings.from(env);
                int port = PortNumber.parse("--port", option(options, "--port", "9000"));
                Path dir = Path.of(option(options, "--dir", defaults.dataDir().resolve("s3").toString()));
                noneLeft(options);
                EmbeddedS3 s3 = EmbeddedS3.start(dir, host, port, defaults.s3AccessKey(), defaults.s3SecretKey());
                System.out.println("S3 on " + s3.endpoint() + ", objects in " + dir.toAbsolutePath()
                        + "\njoin with: INSTRUCTFLOW_S3_ENDPOINT=" + s3.endpoint()
                        + (env.containsKey("INSTRUCTFLOW_S3_ACCESS_KEY") ? " and the same INSTRUCTFLOW_S3_ACCESS_KEY / _SECRET_KEY"
                        : " (keys in " + defaults.dataDir().resolve(LocalS3Credentials.FILE) + ", owner-only)"));
                return s3;
            }
            default -> throw new IllegalArgumentException("unknown service '" + args.get(0) + "' (temporal or s3)");
        }
    }

    private static String option(List<String> options, String name, String fallback) {
        int i = options.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= options.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = options.remove(i + 1);
        options.remove(i);
        return value;
    }

    private static void noneLeft(List<String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options);
        }
    }
}
