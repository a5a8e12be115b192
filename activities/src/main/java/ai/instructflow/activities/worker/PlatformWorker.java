package ai.instructflow.activities.worker;

import ai.instructflow.activities.RunActivitiesImpl;
import ai.instructflow.activities.labeling.LabelStore;
import ai.instructflow.activities.labeling.LabelingActivitiesImpl;
import ai.instructflow.activities.labeling.LabelingClient;
import ai.instructflow.activities.metrics.RunGauges;
import ai.instructflow.activities.metrics.StageMetrics;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.stages.Handover;
import ai.instructflow.activities.stages.StageActivitiesImpl;
import ai.instructflow.activities.stages.StageRunner;
import ai.instructflow.workflows.PipelineWorkflowImpl;
import ai.instructflow.workflows.TaskQueues;
import ai.instructflow.workflows.labeling.LabelingQueueWorkflowImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A worker process's Temporal side: polls its pools' task queues for stage activities; the CPU pool
 * also runs the pipeline workflow and run bookkeeping. One activity at a time, because a stage
 * takes the whole machine (or GPU). Its stages and simulated labelers record their metrics into the
 * registry it is given (the worker's {@code /metrics}).
 */
public final class PlatformWorker implements AutoCloseable {

    private static final int LABELING_SLOTS = 4;

    private final WorkerFactory factory;
    private final RunGauges gauges;
    private final Handover handover = new Handover();

    public PlatformWorker(WorkflowClient client, RunStore runs, WorkerSettings settings, MeterRegistry metrics) {
        String identity = ManagementFactory.getRuntimeMXBean().getName();
        factory = WorkerFactory.newInstance(client);
        gauges = new RunGauges(metrics);
        StageRunner runner = new StageRunner(runs, client, identity, settings.device(), settings.progressEvery(),
                new StageMetrics(metrics), gauges, handover);
        LabelingActivitiesImpl labeling = new LabelingActivitiesImpl(runner, runs,
                new LabelingClient(client, new LabelStore(runs.objects()), metrics), settings.device());
        for (String queue : settings.queues()) {
            Worker worker = factory.newWorker(queue, options(identity, 1));
            worker.registerActivitiesImplementations(new StageActivitiesImpl(runner), labeling);
            if (queue.equals(TaskQueues.CPU)) {
                worker.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class, LabelingQueueWorkflowImpl.class);
                worker.registerActivitiesImplementations(new RunActivitiesImpl(runs));
                // bookkeeping and simulated labelers run beside the stage slot: a queue never waits on training
                factory.newWorker(TaskQueues.LABELING, options(identity, LABELING_SLOTS))
                        .registerActivitiesImplementations(labeling);
            }
        }
    }

    private static WorkerOptions options(String identity, int activitySlots) {
        return WorkerOptions.newBuilder()
                .setIdentity(identity)
                .setMaxConcurrentActivityExecutionSize(activitySlots)
                // heartbeats reach the service every second: cancels arrive within a step
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                // a dead worker's sticky queue would otherwise hold its workflows' next tasks
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .build();
    }

    public PlatformWorker start() {
        factory.start();
        return this;
    }

    /**
     * Leaves the pool gracefully, as on SIGTERM: polls for no new work, has the running stage stop at
     * its next step with a checkpoint and hand itself to another worker, and waits up to {@code grace}
     * for that before stopping hard.
     */
    public void drain(Duration grace) {
        handover.request();
        factory.shutdown();
        factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        close();
    }

    @Override
    public void close() {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        gauges.close();
    }
}
