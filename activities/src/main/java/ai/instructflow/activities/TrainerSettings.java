package ai.instructflow.activities;

import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.ppo.PpoTrainer;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bridge from a run spec to the trainer: fills every missing field with the trainer's own
 * default (so a stored spec says exactly what ran) and builds the {@link PipelineConfig} the
 * trainer's {@code Recipe} takes, on the worker's device.
 */
public final class TrainerSettings {

    /** A week for people to finish a queue; simulated labelers take seconds. */
    static final int DEADLINE_MINUTES = 7 * 24 * 60;
    static final int LEASE_MINUTES = 30;
    /** Two labels per ranking task, so that labeler agreement is measured on every run (the paper's 72.6%). */
    static final int COMPARISON_OVERLAP = 2;

    private TrainerSettings() {}

    /** The spec with every default made explicit. */
    public static RunSpec resolve(RunSpec s) {
        PipelineConfig d = PipelineConfig.defaults();
        RunSpec.Demonstrations demos = s.demonstrations() == null
                ? new RunSpec.Demonstrations(null, null, null, null, null, null) : s.demonstrations();
        RunSpec.Sft sft = s.sft() == null ? new RunSpec.Sft(null, null, null, null) : s.sft();
        RunSpec.Comparisons cmp = s.comparisons() == null
                ? new RunSpec.Comparisons(null, null, null, null, null, null, null, null, null, null) : s.comparisons();
        RunSpec.Rm rm = s.rm() == null ? new RunSpec.Rm(null, null, null, null) : s.rm();
        RunSpec.Ppo ppo = s.ppo() == null
                ? new RunSpec.Ppo(null, null, null, null, null, null, null, null, null, null, null) : s.ppo();
        PpoTrainer.Config p = d.ppo();
        return new RunSpec(s.name(), or(s.preset(), d.preset()), s.baseCheckpoint(), or(s.seed(), d.seed()),
                or(s.resources(), "cpu"), or(s.labelers(), "simulated"), or(s.cache(), false),
                demonstrations(demos, d),
                new RunSpec.Sft(or(sft.steps(), d.sft().steps()), or(sft.batchSize(), d.sft().batchSize()),
                        or(sft.lr(), (double) d.sft().lr()), or(sft.checkpointEvery(), d.sft().checkpointEvery())),
                comparisons(cmp, d),
                new RunSpec.Rm(or(rm.steps(), d.rm().steps()), or(rm.batchSize(), d.rm().promptsPerBatch()),
                        or(rm.lr(), (double) d.rm().lr()), or(rm.checkpointEvery(), d.rm().checkpointEvery())),
                new RunSpec.Ppo(or(ppo.iterations(), p.iterations()), or(ppo.prompts(), d.ppoPrompts()),
                        or(ppo.rolloutBatch(), p.rolloutBatch()), or(ppo.minibatch(), p.minibatch()),
                        or(ppo.epochs(), p.epochs()), or(ppo.policyLr(), (double) p.policyLr()),
                        or(ppo.valueLr(), (double) p.valueLr()), or(ppo.klCoef(), (double) p.klCoef()),
                        or(ppo.adaptiveKl(), p.adaptiveKl()), or(ppo.maxNewTokens(), p.maxNewTokens()),
                        or(ppo.checkpointEvery(), p.checkpointEvery())),
                new RunSpec.Evaluation(or(s.evaluation() == null ? null : s.evaluation().prompts(), d.evalPrompts())),
                s.runtime(), s.faults());
    }

    private static RunSpec.Demonstrations demonstrations(RunSpec.Demonstrations s, PipelineConfig d) {
        if (s.dataset() != null) {
            return new RunSpec.Demonstrations(null, s.dataset(), null, null, null, null);
        }
        return new RunSpec.Demonstrations(or(s.count(), d.demonstrations()), null, or(s.overlap(), 1), s.quota(),
                or(s.deadlineMinutes(), DEADLINE_MINUTES), or(s.leaseMinutes(), LEASE_MINUTES));
    }

    private static RunSpec.Comparisons comparisons(RunSpec.Comparisons s, PipelineConfig d) {
        boolean imported = s.dataset() != null;
        return new RunSpec.Comparisons(or(s.prompts(), d.comparisonPrompts()), or(s.heldOut(), d.heldOutComparisons()),
                or(s.k(), d.k()), or(s.labelers(), d.labelers()),
                s.dataset(), imported ? null : or(s.overlap(), COMPARISON_OVERLAP), imported ? null : s.quota(),
                imported ? null : or(s.deadlineMinutes(), DEADLINE_MINUTES),
                imported ? null : or(s.leaseMinutes(), LEASE_MINUTES), imported ? null : or(s.ties(), false));
    }

    /** The trainer's configuration for a resolved spec on {@code device} ("cpu", "gpu", "gpu1", ...). */
    public static PipelineConfig pipeline(RunSpec s, String device) {
        PipelineConfig d = PipelineConfig.defaults();
        AdamW.Config adam = AdamW.Config.defaults();
        SftTrainer.Config sft = new SftTrainer.Config(s.sft().steps(), s.sft().batchSize(), s.sft().lr().floatValue(),
                warmup(d.sft().warmupSteps(), s.sft().steps()), d.sft().floorFraction(), adam,
                d.sft().evalEvery(), s.sft().checkpointEvery(), d.sft().seed());
        RewardModelTrainer.Config rm = new RewardModelTrainer.Config(s.rm().steps(), s.rm().batchSize(),
                s.rm().lr().floatValue(), warmup(d.rm().warmupSteps(), s.rm().steps()), d.rm().floorFraction(), adam,
                d.rm().evalEvery(), s.rm().checkpointEvery(), d.rm().seed());
        PpoTrainer.Config p = d.ppo();
        RunSpec.Ppo o = s.ppo();
        PpoTrainer.Config ppo = new PpoTrainer.Config(o.iterations(), o.rolloutBatch(), o.minibatch(), o.epochs(),
                o.policyLr().floatValue(), o.valueLr().floatValue(), o.klCoef().floatValue(), o.adaptiveKl(),
                p.klTarget(), p.klHorizon(), p.clip(), p.valueClip(), p.gamma(), p.lambda(), p.ptxCoef(), p.ptxBatch(),
                o.maxNewTokens(), p.temperature(), adam, o.checkpointEvery(), p.seed());
        return new PipelineConfig(s.preset(), device, s.seed(), d.demonstrators(),
                s.demonstrations().count() == null ? 0 : s.demonstrations().count(),
                s.comparisons().prompts(), s.comparisons().heldOut(), s.comparisons().k(), s.comparisons().labelers(),
                s.ppo().prompts(), s.evaluation().prompts(), sft, rm, ppo);
    }

    /**
     * The settings a stage's outputs depend on, beside its inputs: equal settings and equal input
     * hashes mean equal outputs, which is what resume and the cache rely on.
     */
    public static Map<String, Object> stageSettings(RunSpec s, Stage stage) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", s.seed());
        switch (stage) {
            case COLLECT_DEMONSTRATIONS -> out.put("demonstrations", s.demonstrations());
            case SFT -> {
                out.put("preset", s.preset());
                out.put("base_checkpoint", s.baseCheckpoint());
                out.put("sft", s.sft());
            }
            case COLLECT_COMPARISONS -> {
                out.put("comparisons", s.comparisons());
                out.put("max_new_tokens", s.ppo().maxNewTokens());
            }
            case RM -> out.put("rm", s.rm());
            case PPO -> out.put("ppo", s.ppo());
            case EVALUATE -> {
                out.put("evaluation", s.evaluation());
                out.put("labelers", s.comparisons().labelers());
                out.put("max_new_tokens", s.ppo().maxNewTokens());
            }
        }
        return out;
    }

    private static int warmup(int preferred, int steps) {
        return Math.min(preferred, Math.max(1, steps / 10));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
