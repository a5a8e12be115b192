package ai.instructflow.activities.stages;

import ai.instructflow.activities.metrics.StageMetric;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of the recipe, whole: which settings shape its outputs, what it measures, and its own
 * work. {@link StageRunner} does what every stage shares around that work (reuse, cache, attempts,
 * failures); {@link PipelineStages} lists them. Adding a stage is one implementation of this, one
 * constant in {@link Stage} and one call in the workflow.
 */
public interface PipelineStage {

    Stage stage();

    /**
     * Every setting its outputs depend on besides its input artifacts: recorded in its manifest and
     * hashed with its inputs, so a change to any of them makes resume and the cache run it again.
     */
    Map<String, Object> settings(RunSpec spec);

    /** What it reports, per step and at the end: the names the API, run page, demo and gauges use. */
    List<StageMetric> metrics();

    /** Reads its inputs, computes, writes its artifacts. */
    StageRunner.Output run(StageWork work);

    /** Settings from alternating names and values, in that order (the hash reads them in order; a value may be null). */
    static Map<String, Object> settingsOf(Object... namesAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }
}
