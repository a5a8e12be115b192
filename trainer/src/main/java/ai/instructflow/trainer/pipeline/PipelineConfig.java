package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.suite.DemonstratorConfig;

/**
 * Everything one local run of the recipe needs, with defaults sized for the tiny preset on a
 * 2-core laptop. {@code device} is "cpu" or "gpu" (or "gpu1", ...): the same code runs on a GPU
 * worker with the CUDA engine on the class path.
 */
public record PipelineConfig(String preset, String device, long seed, DemonstratorConfig demonstrators,
                             int demonstrations, int comparisonPrompts, int heldOutComparisons, int k,
                             int labelers, int ppoPrompts, int evalPrompts,
                             SftTrainer.Config sft, RewardModelTrainer.Config rm, PpoTrainer.Config ppo) {

    public static PipelineConfig defaults() {
        return new PipelineConfig("tiny", "cpu", 1, DemonstratorConfig.defaults(),
                6000, 3000, 300, 4, 8, 4000, 600,
                SftTrainer.Config.defaults(), RewardModelTrainer.Config.defaults(), PpoTrainer.Config.defaults());
    }
}
