package ai.instructflow.activities.metrics;

import ai.instructflow.activities.worker.DaemonThreads;
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
 * The latest values a stage measured, as gauges labelled by run and stage: the metrics the stage
 * declares with a gauge name ({@link StageMetric#gauge}; the others stay in the run's metrics.jsonl
 * only), the step of the total, a stage's results (labeler agreement, win rate), and,
 * while an attempt runs, when it last made progress. A stage's gauges stay {@link #KEEP_AFTER_END}
 * after its attempt ends, so Prometheus scrapes the last values, and then go, so a long-lived
 * worker exports recent stages only; their history is Prometheus's and the run's.
 */
public final class RunGauges implements AutoCloseable {

    /** Several scrape intervals at any sane setting. */
    static final Duration KEEP_AFTER_END = Duration.ofMinutes(2);

    private record Name(String prometheus, String help) {}

    private static final Name STEP = new Name("instructflow_stage_step", "Step the stage has reached");
    private static final Name TOTAL = new Name("instructflow_stage_total_steps", "Steps the stage will take");

    private final MeterRegistry registry;
    private final ScheduledExecutorService removals;
    private final Map<List<String>, Live> stages = new HashMap<>();

    public RunGauges(MeterRegistry registry) {
        this.registry = registry;
        this.removals = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("run-gauges"));
    }

    /** An attempt of the run's stage starts: it shows as making progress until {@link Live#close}. */
    public synchronized Live start(String runId, String stage, List<StageMetric> declared) {
        Live live = stages.computeIfAbsent(List.of(runId, stage),
                key -> new Live(Tags.of("run", runId, "stage", stage), exported(declared)));
        live.running();
        return live;
    }

    @Override
    public void close() {
        removals.shutdownNow();
    }

    private static Map<String, Name> exported(List<StageMetric> declared) {
        Map<String, Name> out = new HashMap<>();
        declared.stream().filter(StageMetric::exported).forEach(m -> out.put(m.key(), new Name(m.gauge(), m.help())));
        return out;
    }

    /** One stage's gauges; a retry on this worker within {@link #KEEP_AFTER_END} takes them over. */
    public final class Live implements AutoCloseable {

        private final Tags tags;
        private final Map<String, Name> exported;
        /** Prometheus name -> latest value, read by the gauges at each scrape. */
        private final Map<String, Double> values = new ConcurrentHashMap<>();
        private final List<Meter> meters = new ArrayList<>();
        private volatile long lastProgressMillis;
        private Meter progress;
        private ScheduledFuture<?> removal;

        private Live(Tags tags, Map<String, Name> exported) {
            this.tags = tags;
            this.exported = exported;
        }

        /** A training step: the step of the total and the trainer's metrics. */
        public void step(long step, long total, Map<String, Double> metrics) {
            lastProgressMillis = System.currentTimeMillis();
            put(STEP, step);
            put(TOTAL, total);
            record(metrics);
        }

        /** Metrics by the trainer's keys; those the stage declares without a gauge are not exported. */
        public void record(Map<String, Double> metrics) {
            metrics.forEach((key, value) -> {
                Name name = exported.get(key);
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
