package ai.instructflow.activities;

import ai.instructflow.activities.models.ModelStore;
import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.activities.stages.StageWork;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.pipeline.PromptPool;
import ai.instructflow.trainer.pipeline.Recipe;
import ai.instructflow.trainer.suite.DemonstratorConfig;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The trainer's configuration and recipe for a resolved run spec, on a worker's device. */
public final class TrainerSettings {

    private TrainerSettings() {}

    /**
     * The recipe of a run: its configuration, from its base model (a stored Hugging Face folder, with
     * its tokenizer) or the preset's fresh weights, on the run's prompts (a team's file, checked whole
     * as on upload, or the built-in suite).
     */
    public static Recipe recipe(RunSpec s, String device, ObjectStore objects) {
        PipelineConfig config = pipeline(s, device);
        PromptPool prompts = s.teamPrompts() ? StageWork.userObject(objects, "prompts.dataset", s.prompts().dataset(),
                Datasets::readPrompts).pool() : null;
        if (s.baseModel() == null) {
            return new Recipe(config, prompts);
        }
        try {
            return Recipe.fromBaseModel(config, baseModel(s, objects), s.promptFormat(), prompts);
        } catch (UnsupportedCheckpointException e) {
            throw new IllegalStateException("stored model " + s.baseModel() + " no longer loads: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a run's models turn text into tokens: its base model's tokenizer, or the byte-level one. */
    public static PromptFormat format(RunSpec s, ObjectStore objects) {
        if (s.baseModel() == null) {
            return new PromptFormat(new ByteTokenizer());
        }
        try {
            return new PromptFormat(Gpt2BpeTokenizer.fromFolder(baseModel(s, objects)), s.promptFormat());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's base model, unpacked on this machine. */
    private static Path baseModel(RunSpec s, ObjectStore objects) {
        return new ModelStore(objects).local(s.baseModel(), ModelStore.CACHE);
    }

    /** The trainer's configuration for a resolved spec on {@code device} ("cpu", "gpu", "gpu1", ...). */
    public static PipelineConfig pipeline(RunSpec s, String device) {
        RunSpec.Comparisons c = s.comparisons();
        return new PipelineConfig(s.preset(), device, s.seed(), DemonstratorConfig.defaults(),
                s.demonstrations().count() == null ? 0 : s.demonstrations().count(),
                c.prompts(), c.heldOut(), c.k(), c.labelers(), s.evaluation().prompts(), s.sft(), s.rm(), s.ppo(), s.dpo());
    }
}
