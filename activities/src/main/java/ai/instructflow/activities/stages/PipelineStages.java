package ai.instructflow.activities.stages;

import ai.instructflow.workflows.Stage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every stage's implementation, by {@link Stage}: where the activities, the API and the gauges find them. */
public final class PipelineStages {

    public static final CollectDemonstrationsStage COLLECT_DEMONSTRATIONS = new CollectDemonstrationsStage();
    public static final SftStage SFT = new SftStage();
    public static final CollectComparisonsStage COLLECT_COMPARISONS = new CollectComparisonsStage();
    public static final RewardModelStage RM = new RewardModelStage();
    public static final PpoStage PPO = new PpoStage();
    public static final DpoStage DPO = new DpoStage();
    public static final EvaluateStage EVALUATE = new EvaluateStage();

    private static final Map<Stage, PipelineStage> BY_STAGE = new EnumMap<>(Stage.class);

    static {
        for (PipelineStage s : List.of(COLLECT_DEMONSTRATIONS, SFT, COLLECT_COMPARISONS, RM, PPO, DPO, EVALUATE)) {
            BY_STAGE.put(s.stage(), s);
        }
        if (BY_STAGE.size() != Stage.values().length) {
            throw new IllegalStateException("a Stage has no PipelineStage implementation");
        }
    }

    private PipelineStages() {}

    public static PipelineStage of(Stage stage) {
        return BY_STAGE.get(stage);
    }

    /** In run order. */
    public static List<PipelineStage> all() {
        return List.copyOf(BY_STAGE.values());
    }
}
