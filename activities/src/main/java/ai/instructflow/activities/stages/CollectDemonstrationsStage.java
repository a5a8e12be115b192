package ai.instructflow.activities.stages;

import ai.instructflow.activities.labeling.Collected;
import ai.instructflow.activities.labeling.QueueSettings;
import ai.instructflow.activities.labeling.Split;
import ai.instructflow.activities.labeling.TaskKind;
import ai.instructflow.activities.labeling.TaskKinds;
import ai.instructflow.activities.metrics.MetricValues;
import ai.instructflow.activities.metrics.SharedMetrics;
import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.List;
import java.util.Map;

/**
 * Step 1's data (InstructGPT section 3.2): labelers' demonstrations of the wanted output, collected
 * through the stage's labeling queue, or imported from a JSONL file; written as train and eval splits.
 */
public final class CollectDemonstrationsStage implements CollectStage<Demonstration> {

    public static final StageMetric DEMONSTRATIONS = StageMetric.of("demonstrations", "demonstrations").count();
    public static final StageMetric HELD_OUT = StageMetric.of("held_out", "held out").count();

    @Override
    public Stage stage() {
        return Stage.COLLECT_DEMONSTRATIONS;
    }

    @Override
    public TaskKind<Demonstration> taskKind() {
        return TaskKinds.DEMONSTRATION;
    }

    @Override
    public QueueSettings queue(RunSpec spec) {
        RunSpec.Demonstrations d = spec.demonstrations();
        return d.dataset() != null ? null
                : new QueueSettings(d.overlap(), d.quota(), d.deadlineMinutes(), d.leaseMinutes(), false);
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        return PipelineStage.settingsOf("seed", spec.seed(), "demonstrations", spec.demonstrations(),
                "prompts", spec.prompts());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(SharedMetrics.LABELS, SharedMetrics.LABELERS, SharedMetrics.TASKS,
                SharedMetrics.COMPLETED_TASKS, SharedMetrics.LABELS_PER_MINUTE, SharedMetrics.AVAILABLE, DEMONSTRATIONS, HELD_OUT);
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        Recipe recipe = work.recipe();
        String dataset = work.in().spec().demonstrations().dataset();
        MetricValues metrics = new MetricValues();
        Split<Demonstration> split;
        if (dataset != null) {
            List<Demonstration> all = work.userObject("demonstrations.dataset", dataset,
                    data -> Datasets.readDemonstrations(data, recipe.format(), Datasets.Origin.PEOPLE));
            split = Split.lastTenth("demonstrations.dataset", all, Recipe.EVAL_DEMONSTRATIONS);
        } else {
            Collected labels = work.collected();
            metrics.putAll(labels.metrics());
            split = labels.split(stage().id(), Recipe.EVAL_DEMONSTRATIONS,
                    (task, label) -> taskKind().row(task, label, recipe.format()));
        }
        Artifact train = work.saveLines("train", split.train().size(),
                out -> Datasets.writeDemonstrations(split.train(), recipe.format(), out));
        Artifact eval = work.saveLines("eval", split.heldOut().size(),
                out -> Datasets.writeDemonstrations(split.heldOut(), recipe.format(), out));
        metrics.put(DEMONSTRATIONS, split.train().size()).put(HELD_OUT, split.heldOut().size());
        return new StageRunner.Output(List.of(train, eval), metrics.map());
    }
}
