package ai.instructflow.api.cli;

import ai.instructflow.activities.worker.WorkerMain;
import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.trainer.Main;
import ai.instructflow.trainer.pipeline.Method;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
              demo [--method ppo|dpo] [--seed N] [--serve] [--json] [--port N]
                                                    start the embedded platform, run the demo through its REST API
                                                    (RM and PPO, or DPO, after SFT; seed 1 unless given), print the report
              serve [--port N]                      the API with embedded Temporal, S3 and an in-process worker
              worker                                a worker only, joining a platform (INSTRUCTFLOW_TEMPORAL_TARGET, INSTRUCTFLOW_S3_ENDPOINT)
            """ + RunsBench.USAGE + LabelingBench.USAGE + StageBench.USAGE + StageReplayCommand.USAGE + RunsCommand.USAGE + StoredModelCommand.USAGE;

    /**
     * What the demo submits: a name, the method, the seed when one is given (null: the run spec's
     * default), and the trainer's defaults for everything else.
     */
    static String demoSpec(String method, String seed) {
        Method chosen = Arrays.stream(Method.values()).filter(m -> m.id().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--method must be one of " + Arrays.stream(Method.values())
                        .map(Method::id).toList() + ", got '" + method + "'"));
        StringBuilder spec = new StringBuilder(chosen == Method.PPO ? "{\"name\": \"demo\""
                : "{\"name\": \"demo-" + chosen.id() + "\", \"method\": \"" + chosen.id() + "\"");
        if (seed != null) {
            spec.append(", \"seed\": ")
                    .append(Main.wholeNumber("--seed", seed, 0, Long.MAX_VALUE, "a whole number of 0 or more"));
        }
        return spec.append('}').toString();
    }

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
                case "stage-replay" -> System.exit(StageReplayCommand.run(rest));
                case "serve", "demo" -> {
                    // checked before the platform starts
                    demoSpec(Main.option(rest, "--method", Method.PPO.id()), Main.option(rest, "--seed", null));
                    String port = Main.option(rest, "--port", null);
                    if (port != null) {
                        long number = Main.wholeNumber("--port", port, 1, 65535, "a port number (1-65535)");
                        System.setProperty("quarkus.http.port", Long.toString(number));
                    }
                    Quarkus.run(Launcher.class, args);
                }
                case "runs-bench", "labeling-bench", "stage-bench" -> {
                    // the options are checked before a platform starts for them
                    switch (command) {
                        case "runs-bench" -> RunsBench.check(rest);
                        case "labeling-bench" -> LabelingBench.check(rest);
                        default -> StageBench.check(rest);
                    }
                    BenchPlatform.isolate(command);
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
        String url = "http://" + host + ":" + port;
        if (args[0].equals("runs-bench")) {
            return RunsBench.of(rest, platform.runs(), url, admin.adminToken()).run();
        }
        if (args[0].equals("labeling-bench")) {
            return LabelingBench.of(rest, new ApiClient(url, admin.adminToken())).run();
        }
        if (args[0].equals("stage-bench")) {
            return StageBench.of(rest, new ApiClient(url, admin.adminToken()), platform.runs(), platform.settings(),
                    platform.workerDevice().orElseThrow(() -> new IllegalStateException("stage-bench needs the in-process worker")))
                    .run();
        }
        Main.option(rest, "--port", null);
        String spec = demoSpec(Main.option(rest, "--method", Method.PPO.id()), Main.option(rest, "--seed", null));
        boolean json = rest.remove("--json");
        boolean serve = args[0].equals("serve") || rest.remove("--serve");
        if (!rest.isEmpty()) {
            System.err.print("error: unknown options " + rest + "\n" + USAGE);
            return 2;
        }
        int code = 0;
        if (args[0].equals("demo")) {
            code = new DemoCommand(new ApiClient(url, admin.adminToken()), platform.workerMetricsUrl().orElse(null), json)
                    .run(spec);
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
}
