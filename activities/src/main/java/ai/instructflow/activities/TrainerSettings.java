package ai.instructflow.activities;

import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.activities.stages.StageWork;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.suite.DemonstratorConfig;
import ai.instructflow.workflows.RunSpec;

/** The trainer's configuration and recipe for a resolved run spec, on a worker's device. */
public final class TrainerSettings {

    private TrainerSettings() {}

    /** The recipe of a run: its configuration, on the run's prompts (a team's file, checked whole as on upload, or the built-in suite). */
    public static Recipe recipe(RunSpec s, String device, ObjectStore objects) {
        PipelineConfig config = pipeline(s, device);
        if (!s.teamPrompts()) {
            return new Recipe(config);
        }
        return new Recipe(config, StageWork.userObject(objects, "prompts.dataset", s.prompts().dataset(),
                Datasets::readPrompts).pool());
    }

    /** The trainer's configuration for a resolved spec on {@code device} ("cpu", "gpu", "gpu1", ...). */
    public static PipelineConfig pipeline(RunSpec s, String device) {
        RunSpec.Comparisons c = s.comparisons();
        return new PipelineConfig(s.preset(), device, s.seed(), DemonstratorConfig.defaults(),
                s.demonstrations().count() == null ? 0 : s.demonstrations().count(),
                c.prompts(), c.heldOut(), c.k(), c.labelers(), s.evaluation().prompts(), s.sft(), s.rm(), s.ppo());
    }
}
