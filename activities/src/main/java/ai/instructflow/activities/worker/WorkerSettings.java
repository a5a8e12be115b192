package ai.instructflow.activities.worker;

import ai.instructflow.workflows.TaskQueues;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A worker's own configuration, beside where Temporal and S3 are ({@code InfraSettings}):
 * <pre>
 * INSTRUCTFLOW_WORKER_QUEUES   which pools it joins: cpu, gpu or cpu,gpu     [cpu]
 * INSTRUCTFLOW_DEVICE          the trainer's device: cpu, gpu, gpu1, ...     [cpu; gpu when the queues are gpu only]
 * INSTRUCTFLOW_PROGRESS_MS     how often a stage signals progress            [2000]
 * INSTRUCTFLOW_HOST            the address /metrics listens on               [127.0.0.1; 0.0.0.0 to be scraped from elsewhere]
 * INSTRUCTFLOW_METRICS_PORT    the port of /metrics, 0 for any free one      [9464]
 * </pre>
 */
public record WorkerSettings(List<String> queues, String device, Duration progressEvery, String metricsHost,
                             int metricsPort) {

    public static WorkerSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static WorkerSettings from(Map<String, String> env) {
        List<String> pools = Arrays.stream(env.getOrDefault("INSTRUCTFLOW_WORKER_QUEUES", "cpu").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String pool : pools) {
            if (!pool.equals("cpu") && !pool.equals("gpu")) {
                throw new IllegalArgumentException("INSTRUCTFLOW_WORKER_QUEUES: unknown pool '" + pool + "' (cpu, gpu)");
            }
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("INSTRUCTFLOW_WORKER_QUEUES names no pool (cpu, gpu)");
        }
        String device = env.getOrDefault("INSTRUCTFLOW_DEVICE", pools.equals(List.of("gpu")) ? "gpu" : "cpu");
        long progressMs;
        try {
            progressMs = Long.parseLong(env.getOrDefault("INSTRUCTFLOW_PROGRESS_MS", "2000"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("INSTRUCTFLOW_PROGRESS_MS must be a number of milliseconds");
        }
        int metricsPort;
        try {
            metricsPort = Integer.parseInt(env.getOrDefault("INSTRUCTFLOW_METRICS_PORT", "9464"));
        } catch (NumberFormatException e) {
            metricsPort = -1;
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("INSTRUCTFLOW_METRICS_PORT must be a port number (0 for any free port), got '"
                    + env.get("INSTRUCTFLOW_METRICS_PORT") + "'");
        }
        return new WorkerSettings(pools.stream().map(TaskQueues::of).toList(), device, Duration.ofMillis(progressMs),
                env.getOrDefault("INSTRUCTFLOW_HOST", "127.0.0.1"), metricsPort);
    }
}
