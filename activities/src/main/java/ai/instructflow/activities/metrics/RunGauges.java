package ai.instructflow.activities.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The latest values a stage measured, as gauges labelled by run and stage: the trainer's per-step
 * metrics under the Prometheus names of {@link #EXPORTED} (other keys stay in the run's
 * metrics.jsonl only), the step of the total, a stage's results (labeler agreement, win rate), and,
 * while an attempt runs, when it last made progress. A stage's gauges stay {@link #KEEP_AFTER_END}
 * after its attempt ends, so Prometheus scrapes the last values, and then go, so a long-lived
 * worker exports recent stages only; their history is Prometheus's and the run's.
 */
public final class RunGauges implements AutoCloseable {

    /** Several scrape intervals at any sane setting. */
    static final Duration KEEP_AFTER_END = Duration.ofMinutes(2);

    private record Name(String prometheus, String help) {}

    static final Map<String, Name> EXPORTED = Map.ofEntries(
            Map.entry("loss", new Name("instructflow_training_loss",
                    "Training loss at the latest step (SFT: cross-entropy of response tokens; RM: pairwise ranking loss)")),
            Map.entry("eval_loss", new Name("instructflow_training_eval_loss",
                    "SFT loss on held-out demonstrations at the latest evaluation")),
            Map.entry("lr", new Name("instructflow_training_learning_rate", "Learning rate at the latest step")),
            Map.entry("grad_norm", new Name("instructflow_training_grad_norm",
                    "Gradient norm at the latest step (NaN for a skipped step)")),
            Map.entry("tokens_per_s", new Name("instructflow_training_tokens_per_second",
                    "Trained tokens per second so far in this attempt")),
            Map.entry("skipped_steps", new Name("instructflow_training_skipped_steps",
                    "Steps skipped so far because their loss or gradient was not finite")),
            Map.entry("accuracy", new Name("instructflow_rm_accuracy",
                    "Reward model pairwise accuracy on the latest training batch")),
            Map.entry("heldout_accuracy", new Name("instructflow_rm_heldout_accuracy",
                    "Reward model pairwise accuracy on held-out comparisons at the latest evaluation")),
            Map.entry("reward", new Name("instructflow_ppo_reward", "Mean reward model score of the latest rollouts")),
            Map.entry("kl", new Name("instructflow_ppo_kl",
                    "Mean KL of the policy to the SFT reference on the latest rollouts, nats per response")),
            Map.entry("beta", new Name("instructflow_ppo_kl_coefficient", "Coefficient of the per-token KL penalty")),
            Map.entry("entropy", new Name("instructflow_ppo_entropy", "Mean per-token entropy of the policy in the latest update")),
            Map.entry("response_length", new Name("instructflow_ppo_response_length_tokens",
                    "Mean length of the latest rollouts' responses, tokens")),
            Map.entry("clip_fraction", new Name("instructflow_ppo_clip_fraction",
                    "Share of tokens whose probability ratio was clipped in the latest update")),
            Map.entry("approx_kl", new Name("instructflow_ppo_approx_kl",
                    "Approximate KL between the policy before and after the latest update")),
            Map.entry("policy_loss", new Name("instructflow_ppo_policy_loss", "Clipped policy loss of the latest update")),
            Map.entry("value_loss", new Name("instructflow_ppo_value_loss", "Clipped value loss of the latest update")),
            Map.entry("ptx_loss", new Name("instructflow_ppo_ptx_loss", "Pretraining-mix (PPO-ptx) loss of the latest update")),
            Map.entry("heldout_score", new Name("instructflow_ppo_heldout_score",
                    "Held-out simulated labelers' mean score of the latest rollouts (falls when PPO games the reward model)")),
            Map.entry("agreement", new Name("instructflow_labeling_agreement",
                    "Share of response pairs two labelers of a ranking task ordered the same way")),
            Map.entry("win_rate", new Name("instructflow_eval_win_rate",
                    "Win rate of the PPO policy over its SFT start, judged by held-out labelers on held-out prompts")));

    private static final Name STEP = new Name("instructflow_stage_step", "Step the stage has reached");
    private static final Name TOTAL = new Name("instructflow_stage_total_steps", "Steps the stage will take");

    private final MeterRegistry registry;
    private final ScheduledExecutorService removals;
    private final Map<List<String>, Live> stages = new HashMap<>();

    public RunGauges(MeterRegistry registry) {
        this.registry = registry;
        this.removals = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-gauges");
            t.setDaemon(true);
            return t;
        });
    }

    /** An attempt of the run's stage starts: it shows as making progress until {@link Live#close}. */
    public synchronized Live start(String runId, String stage) {
        Live live = stages.computeIfAbsent(List.of(runId, stage), key -> new Live(Tags.of("run", runId, "stage", stage)));
        live.running();
        return live;
    }

    @Override
    public void close() {
        removals.shutdownNow();
    }

    /** One stage's gauges; a retry on this worker within {@link #KEEP_AFTER_END} takes them over. */
    public final class Live implements AutoCloseable {

        private final Tags tags;
        /** Prometheus name -> latest value, read by the gauges at each scrape. */
        private final Map<String, Double> values = new ConcurrentHashMap<>();
        private final List<Meter> meters = new ArrayList<>();
        private volatile long lastProgressMillis;
        private Meter progress;
        private ScheduledFuture<?> removal;

        private Live(Tags tags) {
            this.tags = tags;
        }

        /** A training step: the step of the total and the trainer's metrics. */
        public void step(long step, long total, Map<String, Double> metrics) {
            lastProgressMillis = System.currentTimeMillis();
            put(STEP, step);
            put(TOTAL, total);
            record(metrics);
        }

        /** Metrics by the trainer's keys; those without a Prometheus name are not exported. */
        public void record(Map<String, Double> metrics) {
            metrics.forEach((key, value) -> {
                Name name = EXPORTED.get(key);
                if (name != null && value != null) {
                    put(name, value);
                }
            });
        }

        /** The attempt ended: it no longer makes or misses progress, and its values go after a while. */
        @Override
        public void close() {
            synchronized (RunGauges.this) {
                if (progress != null) {
                    registry.remove(progress);
                    progress = null;
                }
                removal = removals.schedule(this::remove, KEEP_AFTER_END.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void running() {
            if (removal != null) {
                removal.cancel(false);
                removal = null;
            }
            lastProgressMillis = System.currentTimeMillis();
            if (progress == null) {
                progress = Gauge.builder("instructflow_stage_last_progress_timestamp_seconds", this,
                                live -> live.lastProgressMillis / 1e3)
                        .description("When a running stage attempt last started, stepped or resumed, in Unix seconds")
                        .tags(tags).strongReference(true).register(registry);
            }
        }

        private void put(Name name, double value) {
            if (values.put(name.prometheus(), value) == null) {
                synchronized (RunGauges.this) {
                    meters.add(Gauge.builder(name.prometheus(), values, v -> v.getOrDefault(name.prometheus(), Double.NaN))
                            .description(name.help()).tags(tags).strongReference(true).register(registry));
                }
            }
        }

        private void remove() {
            synchronized (RunGauges.this) {
                if (progress != null) {
                    return;  // a retry started while this removal waited for the lock
                }
                meters.forEach(registry::remove);
                meters.clear();
                values.clear();
                stages.values().remove(this);
            }
        }
    }
}
