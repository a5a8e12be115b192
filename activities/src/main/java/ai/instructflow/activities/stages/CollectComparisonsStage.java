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
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step 2's data (InstructGPT section 3.2): K samples of the SFT model per prompt, ranked by labelers
 * through the stage's labeling queue, or imported from a JSONL file; written as train and held-out
 * rankings, with the labelers' calibration for the stages that judge with simulated labelers.
 */
public final class CollectComparisonsStage implements CollectStage<Comparison> {

    public static final StageMetric AGREEMENT = StageMetric.of("agreement", "agreement").percent().highlight()
            .summary("labeler_agreement", "Labeler agreement").gauge("instructflow_labeling_agreement",
                    "Share of response pairs two labelers of a ranking task ordered the same way");
    public static final StageMetric RANKINGS = StageMetric.of("rankings", "rankings").count();
    public static final StageMetric HELD_OUT = StageMetric.of("held_out", "held out").count();
    public static final StageMetric LABELER_TEMPERATURE = StageMetric.of("labeler_temperature", "labeler temperature");

    @Override
    public Stage stage() {
        return Stage.COLLECT_COMPARISONS;
    }

    @Override
    public TaskKind<Comparison> taskKind() {
        return TaskKinds.RANKING;
    }

    @Override
    public QueueSettings queue(RunSpec spec) {
        RunSpec.Comparisons c = spec.comparisons();
        return c.dataset() != null ? null
                : new QueueSettings(c.overlap(), c.quota(), c.deadlineMinutes(), c.leaseMinutes(), c.ties());
    }

    @Override
    public Map<String, Object> settings(RunSpec spec) {
        // the samples to rank are as long as PPO's responses
        return PipelineStage.settingsOf("seed", spec.seed(), "comparisons", spec.comparisons(),
                "prompts", spec.prompts(), "max_new_tokens", spec.ppo().maxNewTokens());
    }

    @Override
    public List<StageMetric> metrics() {
        return List.of(SharedMetrics.LABELS, SharedMetrics.LABELERS, SharedMetrics.TASKS,
                SharedMetrics.COMPLETED_TASKS, SharedMetrics.LABELS_PER_MINUTE, SharedMetrics.AVAILABLE, AGREEMENT, RANKINGS, HELD_OUT, LABELER_TEMPERATURE);
    }

    @Override
    public StageRunner.Output run(StageWork work) {
        Recipe recipe = work.recipe();
        RunSpec.Comparisons settings = work.in().spec().comparisons();
        MetricValues metrics = new MetricValues();
        Split<Comparison> split;
        LabelerCalibration calibration;
        if (settings.dataset() != null) {
            List<Comparison> all = work.userObject("comparisons.dataset", settings.dataset(),
                    data -> Datasets.readComparisons(data, recipe.format(), Datasets.Origin.PEOPLE));
            split = Split.lastTenth("comparisons.dataset", all, settings.heldOut());
            calibration = new LabelerCalibration(recipe.labelerTemperature(all), null);
        } else {
            Collected labels = work.collected();
            metrics.putAll(labels.metrics());
            split = labels.split(stage().id(), settings.heldOut(),
                    (task, label) -> taskKind().row(task, label, recipe.format()));
            calibration = new LabelerCalibration(labels.meta().labelerTemperature(),
                    taskKind().agreement(labels.tasks(), labels.labels()));
        }
        List<Artifact> artifacts = new ArrayList<>();
        artifacts.add(work.saveLines("train", split.train().size(),
                out -> Datasets.writeRankings(split.train(), recipe.format(), out)));
        artifacts.add(work.saveLines("held_out", split.heldOut().size(),
                out -> Datasets.writeRankings(split.heldOut(), recipe.format(), out)));
        artifacts.add(work.artifacts().save(LabelerCalibration.ARTIFACT, work.key("calibration.json"), 0,
                calibration::write, "application/json"));
        if (calibration.agreement() != null) {
            metrics.put(AGREEMENT, calibration.agreement());
        }
        metrics.put(RANKINGS, split.train().size()).put(HELD_OUT, split.heldOut().size())
                .put(LABELER_TEMPERATURE, calibration.labelerTemperature());
        return new StageRunner.Output(artifacts, metrics.map());
    }
}
