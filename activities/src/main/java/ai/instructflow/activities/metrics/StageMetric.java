package ai.instructflow.activities.metrics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * One number a stage reports, named once: its key (in the trainer's per-step metrics, the stage's
 * results and {@code metrics.jsonl}), how people see it, and where it goes: a Prometheus gauge
 * ({@code gauge}, with its help), a run-page chart ({@code chart}, shared by the metrics drawn
 * together), the few numbers shown for the stage ({@code highlighted}), and the run's summary
 * ({@code summary}, the key it has there, and {@code summaryLabel}, how the summary names it; a summary
 * value with {@code <summary>_ci_low} and {@code _ci_high} beside it is shown with that interval). Stages declare theirs in {@code PipelineStage.metrics()}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageMetric(String key, String label, Format format, String gauge, String help, Chart chart,
                          boolean highlighted, String summary, String summaryLabel) {

    /** How a value reads: a plain number, a share shown as a percentage, or a count. */
    public enum Format {
        NUMBER, PERCENT, COUNT;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A run-page chart: metrics of one stage with the same chart id are drawn in it together. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Chart(String id, String title) {}

    public static StageMetric of(String key, String label) {
        return new StageMetric(key, label, Format.NUMBER, null, null, null, false, null, null);
    }

    public StageMetric percent() {
        return new StageMetric(key, label, Format.PERCENT, gauge, help, chart, highlighted, summary, summaryLabel);
    }

    public StageMetric count() {
        return new StageMetric(key, label, Format.COUNT, gauge, help, chart, highlighted, summary, summaryLabel);
    }

    public StageMetric gauge(String name, String description) {
        return new StageMetric(key, label, format, name, description, chart, highlighted, summary, summaryLabel);
    }

    public StageMetric chart(String id, String title) {
        return new StageMetric(key, label, format, gauge, help, new Chart(id, title), highlighted, summary, summaryLabel);
    }

    public StageMetric highlight() {
        return new StageMetric(key, label, format, gauge, help, chart, true, summary, summaryLabel);
    }

    /** In the run's summary as {@code as}; shown there as {@code shownAs}, or not on its own when null (an interval's end). */
    public StageMetric summary(String as, String shownAs) {
        return new StageMetric(key, label, format, gauge, help, chart, highlighted, as, shownAs);
    }

    @JsonIgnore
    public boolean exported() {
        return gauge != null;
    }
}
