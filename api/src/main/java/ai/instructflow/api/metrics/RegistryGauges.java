package ai.instructflow.api.metrics;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.worker.DaemonThreads;
import ai.instructflow.api.labeling.LabelingService;
import ai.instructflow.api.labeling.OpenQueue;
import ai.instructflow.api.labeling.QueueView;
import ai.instructflow.api.runs.RunService;
import ai.instructflow.workflows.RunStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Gauges of what the run registry and the labeling queues say, recomputed every
 * {@code instructflow.metrics.refresh}: runs by status, and each open queue's depth. They are read
 * from the shared registry and from Temporal rather than counted in this process, so every API
 * replica reports the same numbers (dashboards take the max over replicas) and a restart loses none.
 */
@Startup
@ApplicationScoped
public class RegistryGauges {

    private static final Logger LOG = Logger.getLogger(RegistryGauges.class);
    private static final List<String> STATUSES = List.of(RunStatus.RUNNING, RunStatus.SUCCEEDED, RunStatus.FAILED,
            RunStatus.CANCELLED, RunStatus.INTERRUPTED);

    @Inject
    MeterRegistry meters;

    @Inject
    RunService runs;

    @Inject
    LabelingService labeling;

    @ConfigProperty(name = "instructflow.metrics.refresh")
    Duration every;

    private ScheduledExecutorService refresher;
    private MultiGauge runsByStatus;
    private MultiGauge available;
    private MultiGauge leased;
    private MultiGauge completed;
    private MultiGauge quota;
    private MultiGauge opened;

    @PostConstruct
    void start() {
        runsByStatus = gauge("instructflow_runs", "Runs in the registry by status (interrupted: Temporal lost them)");
        available = gauge("instructflow_labeling_queue_available_tasks",
                "Tasks of an open labeling queue that want a label and are not leased: the queue's depth");
        leased = gauge("instructflow_labeling_queue_leased_tasks", "Tasks of an open labeling queue leased to a labeler now");
        completed = gauge("instructflow_labeling_queue_completed_tasks", "Tasks of an open labeling queue with all their labels");
        quota = gauge("instructflow_labeling_queue_quota_tasks", "Tasks an open labeling queue wants completed before it ends");
        opened = gauge("instructflow_labeling_queue_opened_timestamp_seconds",
                "When an open labeling queue opened, Unix seconds");
        refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("registry-gauges"));
        refresher.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    private void refresh() {
        try {
            RunStore.Census census = runs.census();
            runsByStatus.register(STATUSES.stream()
                    .map(s -> MultiGauge.Row.of(Tags.of("status", s), census.byStatus().getOrDefault(s, 0L))).toList(), true);
            List<OpenQueue> queues = labeling.open(census.running(), null);
            queues(available, queues, QueueView::available);
            queues(leased, queues, QueueView::leased);
            queues(completed, queues, QueueView::completed);
            queues(quota, queues, QueueView::quota);
            queues(opened, queues, q -> Instant.parse(q.openedAt()).toEpochMilli() / 1e3);
        } catch (RuntimeException e) {
            // the last values stay until the registry answers again
            LOG.warnf("metrics: cannot read the run registry: %s", e.toString());
        }
    }

    private MultiGauge gauge(String name, String help) {
        return MultiGauge.builder(name).description(help).register(meters);
    }

    /** One row per open queue; closed queues' rows go. */
    private static void queues(MultiGauge gauge, List<OpenQueue> queues, ToDoubleFunction<QueueView> value) {
        gauge.register(queues.stream().map(q -> MultiGauge.Row.of(Tags.of("run", q.runId(), "stage", q.stage()),
                value.applyAsDouble(q.queue()))).toList(), true);
    }
}
