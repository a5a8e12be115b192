package ai.instructflow.activities.labeling;

import ai.instructflow.activities.worker.DaemonThreads;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Heartbeats every second while a long call (sampling a model, say) holds the activity's thread. */
final class HeartbeatTicker implements AutoCloseable {

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("labeling-heartbeat"));

    HeartbeatTicker(ActivityExecutionContext context) {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                context.heartbeat(null);
            } catch (RuntimeException e) {
                // a missed heartbeat is retried on the next tick; a cancel is seen by the caller's own heartbeat
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
