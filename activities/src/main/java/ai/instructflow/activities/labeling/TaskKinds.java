package ai.instructflow.activities.labeling;

import ai.instructflow.workflows.labeling.LabelingKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every labeling task kind's implementation, by {@link LabelingKind}. */
public final class TaskKinds {

    public static final DemonstrationTasks DEMONSTRATION = new DemonstrationTasks();
    public static final RankingTasks RANKING = new RankingTasks();
    public static final VerdictTasks VERDICT = new VerdictTasks();

    private static final Map<LabelingKind, TaskKind<?>> BY_KIND = new EnumMap<>(LabelingKind.class);

    static {
        for (TaskKind<?> kind : List.of(DEMONSTRATION, RANKING, VERDICT)) {
            BY_KIND.put(kind.kind(), kind);
        }
        if (BY_KIND.size() != LabelingKind.values().length) {
            throw new IllegalStateException("a LabelingKind has no TaskKind implementation");
        }
    }

    private TaskKinds() {}

    public static TaskKind<?> of(LabelingKind kind) {
        return BY_KIND.get(kind);
    }
}
