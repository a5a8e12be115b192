package ai.instructflow.api.labeling;

import ai.instructflow.activities.labeling.TextLimits;
import ai.instructflow.workflows.labeling.LabelingKind;
import ai.instructflow.workflows.labeling.QueueSpec;
import ai.instructflow.workflows.labeling.QueueState;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * A labeling queue as people see it: how much is done ({@code completed} tasks have all their
 * labels, out of {@code quota}), how much is left to lease ({@code available}), the pace, and each
 * labeler's count.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueView(String runId, String stage, LabelingKind kind, boolean open, String endedBy, int tasks, int quota,
                        int overlap, int completed, long labels, int leased, int available, String openedAt,
                        String deadline, double labelsPerMinute, Map<String, Integer> labelers, Integer k,
                        Boolean ties, int maxChars) {

    /** The queue as operators see it: every labeler's count. */
    public static QueueView of(QueueState s) {
        return of(s, null);
    }

    /**
     * The queue as {@code viewer} sees it: of the per-labeler counts, only their own, since one
     * labeler has no business knowing who else labels (null: everyone's, for operators).
     */
    public static QueueView of(QueueState s, String viewer) {
        QueueSpec spec = s.spec();
        // tasks with K responses to order: demonstration queues have none
        boolean ranked = spec.k() > 0;
        double minutes = Math.max(1.0, (System.currentTimeMillis() - s.openedAt()) / 60_000.0);
        return new QueueView(spec.runId(), spec.stage(), spec.kind(), s.open(), s.endedBy(), spec.tasks(), spec.quota(),
                spec.overlap(), s.completed(), s.labels(), s.leased(), s.available(),
                Instant.ofEpochMilli(s.openedAt()).toString(), Instant.ofEpochMilli(spec.deadline()).toString(),
                s.labels() / minutes, viewer == null ? s.labelers() : own(s.labelers(), viewer),
                ranked ? spec.k() : null, ranked ? spec.ties() : null,
                TextLimits.MAX_RESPONSE_CHARS);
    }

    private static Map<String, Integer> own(Map<String, Integer> all, String viewer) {
        Integer mine = all.get(viewer);
        return mine == null ? Map.of() : Map.of(viewer, mine);
    }
}
