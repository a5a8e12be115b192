package ai.instructflow.activities.metrics;

/**
 * Metrics more than one stage reports under the same key: the step loop's (SFT and the reward
 * model), the labeling queue's (both collect stages), and a retried attempt's starting step.
 */
public final class SharedMetrics {

    public static final StageMetric LOSS = StageMetric.of("loss", "loss").highlight().gauge("instructflow_training_loss",
            "Training loss at the latest step (SFT: cross-entropy of response tokens; RM: pairwise ranking loss)");
    public static final StageMetric LR = StageMetric.of("lr", "learning rate")
            .gauge("instructflow_training_learning_rate", "Learning rate at the latest step");
    public static final StageMetric GRAD_NORM = StageMetric.of("grad_norm", "gradient norm")
            .gauge("instructflow_training_grad_norm", "Gradient norm at the latest step (NaN for a skipped step)");
    public static final StageMetric TOKENS_PER_S = StageMetric.of("tokens_per_s", "tokens/s").count().highlight()
            .gauge("instructflow_training_tokens_per_second", "Trained tokens per second so far in this attempt");
    public static final StageMetric SKIPPED_STEPS = StageMetric.of("skipped_steps", "skipped steps").count()
            .gauge("instructflow_training_skipped_steps", "Steps skipped so far because their loss or gradient was not finite");
    public static final StageMetric RESUMED_FROM_STEP = StageMetric.of("resumed_from_step", "resumed from step").count();

    public static final StageMetric LABELS = StageMetric.of("labels", "labels").count().highlight();
    public static final StageMetric LABELERS = StageMetric.of("labelers", "labelers").count();
    public static final StageMetric TASKS = StageMetric.of("tasks", "tasks").count();
    public static final StageMetric COMPLETED_TASKS = StageMetric.of("completed_tasks", "tasks done").count().highlight();
    /** While a queue is open: how fast labels come, and the tasks nobody holds that still want a label. */
    public static final StageMetric LABELS_PER_MINUTE = StageMetric.of("labels_per_minute", "labels/min");
    public static final StageMetric AVAILABLE = StageMetric.of("available", "available tasks").count();

    private SharedMetrics() {}
}
