package ai.instructflow.activities.worker;

import ai.instructflow.infra.PortNumber;
import ai.instructflow.infra.SettingSource;
import ai.instructflow.workflows.TaskQueues;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A worker's own configuration, beside where Temporal and S3 are ({@code InfraSettings}); read from
 * the process's one {@link SettingSource} (environment variables in brackets' names, upper case):
 * <pre>
 * instructflow.worker.queues   which pools it joins: cpu, gpu or cpu,gpu     [cpu]
 * instructflow.device          the trainer's device: cpu, gpu, gpu1, ...     [cpu; gpu when the queues are gpu only]
 * instructflow.host            the address /metrics listens on               [127.0.0.1; 0.0.0.0 to be scraped from elsewhere]
 * instructflow.metrics-port    the port of /metrics, 0 for any free one      [9464]
 * instructflow.worker.shutdown-grace-seconds  how long SIGTERM waits for the running
 *                              stage to checkpoint and hand over            [90; the chart's grace period is 120]
 * </pre>
 */
public record WorkerSettings(List<String> queues, String device, String metricsHost,
                             int metricsPort, Duration shutdownGrace) {

    public static WorkerSettings fromEnvironment() {
        return from(SettingSource.environment());
    }

    /** From environment-style variables, e.g. {@code INSTRUCTFLOW_WORKER_QUEUES}. */
    public static WorkerSettings from(Map<String, String> variables) {
        return from(SettingSource.of(variables));
    }

    public static WorkerSettings from(SettingSource settings) {
        String queues = "instructflow.worker.queues";
        List<String> pools = Arrays.stream(settings.get(queues, "cpu").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String pool : pools) {
            if (!pool.equals("cpu") && !pool.equals("gpu")) {
                throw new IllegalArgumentException(named(queues) + ": unknown pool '" + pool + "' (cpu, gpu)");
            }
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException(named(queues) + " names no pool (cpu, gpu)");
        }
        String device = settings.get("instructflow.device", pools.equals(List.of("gpu")) ? "gpu" : "cpu");
        long graceSeconds = number(settings, "instructflow.worker.shutdown-grace-seconds", "90", "a number of seconds");
        String port = "instructflow.metrics-port";
        int metricsPort = PortNumber.parse(named(port), settings.get(port, "9464"));
        return new WorkerSettings(pools.stream().map(TaskQueues::of).toList(), device,
                settings.get("instructflow.host", "127.0.0.1"), metricsPort, Duration.ofSeconds(graceSeconds));
    }

    private static long number(SettingSource settings, String property, String fallback, String what) {
        try {
            long n = Long.parseLong(settings.get(property, fallback));
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(named(property) + " must be " + what + ", got '" + settings.get(property, "") + "'");
    }

    /** A setting as people may have set it: its property and its environment variable. */
    private static String named(String property) {
        return property + " (" + SettingSource.variable(property) + ")";
    }
}
