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
import ai.instructflow.infra.TemporalConnection;
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
 * also runs the pipeline workflow and run bookkeeping, and the labeling queues. One activity at a time,
 * because a stage takes the whole machine (or GPU). Its stages and simulated labelers record their
 * metrics into the registry it is given (the worker's {@code /metrics}).
 *
 * <p>The pipeline workflow is not kept in the worker's cache between its workflow tasks (no sticky
 * execution): Temporal's in-memory service, the embedded one, never hands a dead worker's sticky tasks
 * to another, and a pipeline outlives the workers of its stages. A labeling queue is different: people
 * call it many times a second, and without the cache every call replays the queue's whole history (a
 * queue of a few thousand labels spent half a second a call replaying). So the queues run on the
 * labeling task queue with sticky execution wherever a dead worker's tasks are sure to move on: when
 * this process embeds the Temporal service (they live and die together), or the service is a real
 * Temporal server, which moves them after the timeout. See {@link TemporalConnection#movesStickyTasks}.
 */
public final class PlatformWorker implements AutoCloseable {

    private static final int LABELING_SLOTS = 4;
    /** How long a queue's next workflow task waits for this worker before any other may take it. */
    private static final Duration STICKY_QUEUE_TIMEOUT = Duration.ofSeconds(5);

    private final WorkerFactory factory;
    private final RunGauges gauges;
    private final Handover handover = new Handover();

    /**
     * @param stickyQueues whether the labeling queues this worker serves stay in its cache between their
     *                     workflow tasks: only where a dead worker's sticky tasks are sure to move on (above)
     */
    public PlatformWorker(WorkflowClient client, RunStore runs, WorkerSettings settings, MeterRegistry metrics,
                          boolean stickyQueues) {
        String identity = ManagementFactory.getRuntimeMXBean().getName();
        factory = WorkerFactory.newInstance(client);
        gauges = new RunGauges(metrics);
        StageRunner runner = new StageRunner(runs, identity, settings.device(),
                new StageMetrics(metrics), gauges, handover);
        LabelingActivitiesImpl labeling = new LabelingActivitiesImpl(runner, runs,
                new LabelingClient(client, new LabelStore(runs.objects()), metrics), settings.device());
        for (String queue : settings.queues()) {
            Worker worker = factory.newWorker(queue, options(identity, 1, false));
            worker.registerActivitiesImplementations(new StageActivitiesImpl(runner), labeling);
            if (queue.equals(TaskQueues.CPU)) {
                // queues opened on the CPU task queue (before they had one of their own) are served there still
                worker.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class, LabelingQueueWorkflowImpl.class);
                worker.registerActivitiesImplementations(new RunActivitiesImpl(runs));
                // the queues, their bookkeeping and the simulated labelers run beside the stage slot: a queue
                // never waits on training
                Worker queues = factory.newWorker(TaskQueues.LABELING, options(identity, LABELING_SLOTS, stickyQueues));
                queues.registerWorkflowImplementationTypes(LabelingQueueWorkflowImpl.class);
                queues.registerActivitiesImplementations(labeling);
            }
        }
    }

    private static WorkerOptions options(String identity, int activitySlots, boolean sticky) {
        return WorkerOptions.newBuilder()
                .setIdentity(identity)
                .setMaxConcurrentActivityExecutionSize(activitySlots)
                // heartbeats reach the service every second: cancels arrive within a step, and the
                // progress they carry is what the run's view shows
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                // zero turns sticky execution off: a dead worker's sticky queue would otherwise hold its
                // workflows' next tasks for good on the in-memory service
                .setStickyQueueScheduleToStartTimeout(sticky ? STICKY_QUEUE_TIMEOUT : Duration.ZERO)
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
