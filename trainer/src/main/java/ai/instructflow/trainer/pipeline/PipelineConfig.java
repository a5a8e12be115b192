package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.dpo.DpoConfig;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.suite.DemonstratorConfig;

/**
 * Everything one run of the recipe needs, with defaults sized for the tiny preset on a 2-core
 * laptop. The same code runs on a GPU worker with the CUDA engine on the class path.
 *
 * @param preset             the model shape, {@code GPTConfig.preset}                ["tiny"]
 * @param device             "cpu", "gpu", "gpu1", ...                                 ["cpu"]
 * @param seed               the suite's prompts and the models' initial weights       [1]
 * @param demonstrators      how uneven the simulated demonstrators are               [DemonstratorConfig.defaults()]
 * @param demonstrations     training prompts answered for SFT (paper: ~13k)          [6000]
 * @param comparisonPrompts  prompts whose K samples are ranked for the RM (paper: ~33k) [3000]
 * @param heldOutComparisons rankings kept aside to measure the RM on                [300]
 * @param k                  responses per ranking (paper: 4 to 9)                   [4]
 * @param labelers           simulated labelers in each group (training, held-out)   [8]
 * @param evalPrompts        held-out prompts the final verdict is judged on         [600]
 * @param sft                supervised fine-tuning                                  [SftConfig.defaults()]
 * @param rm                 the reward model                                         [RewardModelConfig.defaults()]
 * @param ppo                PPO against the reward model                            [PpoConfig.defaults()]
 * @param dpo                DPO on the comparisons, when the run's method is DPO     [DpoConfig.defaults()]
 */
public record PipelineConfig(String preset, String device, long seed, DemonstratorConfig demonstrators,
                             int demonstrations, int comparisonPrompts, int heldOutComparisons, int k,
                             int labelers, int evalPrompts, SftConfig sft, RewardModelConfig rm, PpoConfig ppo,
                             DpoConfig dpo) {

    public static PipelineConfig defaults() {
        return new PipelineConfig("tiny", "cpu", 1, DemonstratorConfig.defaults(), 6000, 3000, 300, 4, 8, 600,
                SftConfig.defaults(), RewardModelConfig.defaults(), PpoConfig.defaults(), DpoConfig.defaults());
    }

    /** The same recipe on another device and seed. */
    public PipelineConfig on(String otherDevice, long otherSeed) {
        return new PipelineConfig(preset, otherDevice, otherSeed, demonstrators, demonstrations, comparisonPrompts,
                heldOutComparisons, k, labelers, evalPrompts, sft, rm, ppo, dpo);
    }

    public PipelineConfig withPpo(PpoConfig other) {
        return new PipelineConfig(preset, device, seed, demonstrators, demonstrations, comparisonPrompts,
                heldOutComparisons, k, labelers, evalPrompts, sft, rm, other, dpo);
    }
}
