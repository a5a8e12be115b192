package ai.instructflow.trainer.train;

import java.util.Map;

/**
 * How a training loop talks to whoever runs it: progress and metrics after each step, checkpoints
 * at the configured interval, and a cancellation flag polled between steps. In the local pipeline
 * it prints; in the platform it heartbeats to Temporal, writes to object storage and feeds metrics.
 */
public interface TrainingListener {

    /** After every optimisation step (or PPO iteration): {@code step} of {@code total}, 1-based. */
    default void onStep(String stage, long step, long total, Map<String, Double> metrics) {}

    /** A consistent snapshot to persist; the loop continues when this returns. */
    default void onCheckpoint(String stage, long step, Checkpoint checkpoint) {}

    /** Polled between steps; when true the loop checkpoints and throws CancellationException. */
    default boolean cancelled() {
        return false;
    }

    TrainingListener NONE = new TrainingListener() {};
}
