package ai.instructflow.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * How stage attempts end on this worker, by stage: their durations by outcome (the histogram's count
 * is the number of attempts), Temporal's retries, and failures by type. Not labelled by run: these
 * are the platform's health, and each run's own attempts are in its stage manifests.
 */
public final class StageMetrics {

    /** Stages take seconds on a tiny run and hours on a real one. */
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8)};

    private final MeterRegistry registry;

    public StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An attempt starts; Temporal numbers them from 1, so any later one is a retry. */
    public void started(String stage, int attempt) {
        if (attempt > 1) {
            Counter.builder("instructflow_stage_retries")
                    .description("Stage attempts that are Temporal retries of a failed or lost attempt")
                    .tag("stage", stage).register(registry).increment();
        }
    }

    /** An attempt ended as succeeded, failed or cancelled. */
    public void ended(String stage, String outcome, Duration took) {
        Timer.builder("instructflow_stage_duration")
                .description("How long stage attempts ran, by outcome (succeeded, failed, cancelled)")
                .serviceLevelObjectives(BUCKETS)
                .tags("stage", stage, "outcome", outcome).register(registry).record(took);
    }

    /** An attempt failed: {@code type} is the Temporal failure type, or the exception's class for a retryable error. */
    public void failed(String stage, String type) {
        Counter.builder("instructflow_stage_failures")
                .description("Failed stage attempts (activity failures), by failure type")
                .tags("stage", stage, "type", type).register(registry).increment();
    }
}
