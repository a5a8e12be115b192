package ai.instructflow.api.cli;

import ai.instructflow.activities.worker.WorkerMain;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.trainer.Main;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform's command line. {@code serve} and {@code demo} start the platform (API, embedded
 * Temporal and S3, an in-process worker); {@code worker} joins a running one; {@code runs} talks to
 * one over REST.
 */
@QuarkusMain
public class Launcher implements QuarkusApplication {

    static final String USAGE = """
            usage: instructflow <command> [options]
              demo [--serve] [--json] [--port N]    start the embedded platform, run the demo through its REST API, print the report
              serve [--port N]                      the API with embedded Temporal, S3 and an in-process worker
              worker                                a worker only, joining a platform (INSTRUCTFLOW_TEMPORAL_TARGET, INSTRUCTFLOW_S3_ENDPOINT)
            """ + LabelingBench.USAGE + RunsCommand.USAGE + StoredModelCommand.USAGE;

    /** What the demo submits: a name, and the trainer's defaults for everything else. */
    static final String DEMO_SPEC = "{\"name\": \"demo\"}";

    @Inject
    Platform platform;

    @Inject
    AdminToken admin;

    @ConfigProperty(name = "quarkus.http.host")
    String host;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    public static void main(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "" : rest.remove(0);
        try {
            switch (command) {
                case "runs" -> RunsCommand.run(rest);
                case "model" -> StoredModelCommand.run(rest);
                case "worker" -> WorkerMain.main(rest.toArray(String[]::new));
                case "serve", "demo" -> {
                    String port = Main.option(rest, "--port", null);
                    if (port != null) {
                        System.setProperty("quarkus.http.port", Integer.toString(parsePort(port)));
                    }
                    Quarkus.run(Launcher.class, args);
                }
                case "labeling-bench" -> {
                    benchOptions(new ArrayList<>(rest));  // checked before the platform starts for them
                    benchPlatform();
                    Quarkus.run(Launcher.class, args);
                }
                default -> throw new IllegalArgumentException(command.isEmpty() ? "no command" : "unknown command '" + command + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.print("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        } catch (ApiClient.ApiException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("error: " + e);
            System.exit(1);
        }
    }

    @Override
    public int run(String... args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        Main.option(rest, "--port", null);
        if (args[0].equals("labeling-bench")) {
            // the port the bench's platform took (a free one, see benchPlatform)
            String url = "http://" + host + ":" + ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
            return benchOptions(rest).on(new ApiClient(url, admin.adminToken())).run();
        }
        boolean json = rest.remove("--json");
        boolean serve = args[0].equals("serve") || rest.remove("--serve");
        if (!rest.isEmpty()) {
            System.err.print("error: unknown options " + rest + "\n" + USAGE);
            return 2;
        }
        String url = "http://" + host + ":" + port;
        int code = 0;
        if (args[0].equals("demo")) {
            code = new DemoCommand(new ApiClient(url, admin.adminToken()), platform.workerMetricsUrl().orElse(null), json)
                    .run(DEMO_SPEC);
        }
        if (serve) {
            System.out.println("InstructFlow is serving " + url + "  (OpenAPI: " + url + "/q/openapi, Swagger UI: "
                    + url + "/q/swagger-ui, metrics: " + url + "/q/metrics"
                    + platform.workerMetricsUrl().map(w -> " and " + w).orElse("") + ")");
            // a worker on this machine needs its own metrics port beside the in-process worker's
            System.out.println("workers join with: INSTRUCTFLOW_TEMPORAL_TARGET=" + platform.settings().temporalTarget()
                    + " INSTRUCTFLOW_S3_ENDPOINT=" + platform.settings().s3Endpoint()
                    + " INSTRUCTFLOW_METRICS_PORT=9465 ./instructflow worker");
            Quarkus.waitForExit();
        }
        return code;
    }

    /**
     * The bench's platform has a place of its own: free ports and a fresh data folder, deleted at exit, so
     * it runs beside a serving platform and leaves nothing behind.
     */
    private static void benchPlatform() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setProperty("quarkus.http.port", Integer.toString(free.getLocalPort()));
        }
        System.setProperty("instructflow.temporal.port", "0");
        System.setProperty("instructflow.s3.port", "0");
        System.setProperty("instructflow.metrics-port", "0");
        Path data = Files.createTempDirectory("instructflow-labeling-bench");
        System.setProperty("instructflow.data-dir", data.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(data)));
    }

    private static void delete(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder: the system cleans it up eventually
        }
    }

    /** labeling-bench's options: how many labelers, tasks and warm-up submissions, and whether to print JSON. */
    private record BenchOptions(int labelers, int tasks, int warmup, boolean json) {
        LabelingBench on(ApiClient admin) {
            return new LabelingBench(admin, labelers, tasks, warmup, json);
        }
    }

    private static BenchOptions benchOptions(List<String> args) {
        int labelers = count(Main.option(args, "--labelers", "50"), "--labelers");
        int tasks = count(Main.option(args, "--tasks", Integer.toString(30 * labelers)), "--tasks");
        int warmup = count(Main.option(args, "--warmup", Integer.toString(Math.min(10 * labelers, tasks / 3))), "--warmup");
        boolean json = args.remove("--json");
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + args);
        }
        BenchOptions options = new BenchOptions(labelers, tasks, warmup, json);
        options.on(null);  // the ranges, checked where the bench is defined
        return options;
    }

    private static int count(String text, String option) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + text + "'");
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a port number (1-65535), got '" + text + "'");
        }
    }
}
