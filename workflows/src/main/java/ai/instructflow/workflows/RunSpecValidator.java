package ai.instructflow.workflows;

import ai.instructflow.trainer.dpo.DpoConfig;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.pipeline.Method;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.ppo.RewardHackingGuardConfig;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.labeling.LabelerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a resolved run spec ({@link RunSpecs#resolve}) before anything starts, and names every bad
 * field at once so a user fixes them in one round. Limits are what the trainer can run, not tuning
 * advice.
 */
public final class RunSpecValidator {

    private static final Set<String> PRESETS = Set.of("tiny", "small");
    private static final Set<String> RESOURCES = Set.of("cpu", "gpu");
    private static final Set<String> LABELERS = Set.of(RunSpec.SIMULATED, RunSpec.HUMAN);
    private static final int MAX_OVERLAP = 10;
    private static final int MAX_MINUTES = 365 * 24 * 60;
    private static final int MAX = 10_000_000;
    /** More than the six stages can name once each, fewer than can bloat a stored spec. */
    private static final int MAX_FAULTS = 100;

    private final List<FieldError> errors = new ArrayList<>();

    private RunSpecValidator() {}

    public static List<FieldError> validate(RunSpec s) {
        RunSpecValidator v = new RunSpecValidator();
        v.spec(s);
        return List.copyOf(v.errors);
    }

    private void spec(RunSpec s) {
        if (s.name() == null || s.name().isBlank()) {
            fail("name", "is required");
        } else if (s.name().length() > 100) {
            fail("name", "must be at most 100 characters");
        } else if (!WellFormedText.check(s.name())) {
            fail("name", WellFormedText.REASON);
        }
        oneOf("preset", s.preset(), PRESETS);
        oneOf("resources", s.resources(), RESOURCES);
        oneOf("labelers", s.labelers(), LABELERS);
        objectKey("base_checkpoint", s.baseCheckpoint(), "a checkpoint");
        if (s.baseModel() != null && !s.baseModel().matches("models/[0-9a-f]{64}")) {
            fail("base_model", "must be a model's key, models/<sha256>, as POST /api/v1/models returns it");
        }
        if (s.baseModel() == null && !PromptFormat.Template.DEFAULT.equals(s.promptFormat())) {
            fail("prompt_format", "is how a base_model's tokenizer joins prompt and response; a run without one "
                    + "uses the byte-level model's fixed format");
        }
        if (s.baseModel() != null && s.baseCheckpoint() != null) {
            fail("base_checkpoint", "a run starts from a base_model or a base_checkpoint, not both");
        }
        if (s.seed() < 0) {
            fail("seed", "must be >= 0");
        }
        if (s.prompts() != null) {
            dataset("prompts.dataset", s.prompts().dataset());
            if (s.teamPrompts() && RunSpec.SIMULATED.equals(s.labelers())) {
                fail("prompts.dataset", "simulated labelers answer only the built-in suite's prompts; a team's prompts "
                        + "need people: set \"labelers\": \"human\"");
            }
        }
        RunSpec.Demonstrations d = s.demonstrations();
        range("demonstrations.count", d.count(), 1, MAX);
        dataset("demonstrations.dataset", d.dataset());
        labeling("demonstrations", d.overlap(), d.quota(), d.deadlineMinutes(), d.leaseMinutes());
        SftConfig sft = s.sft();
        loop("sft", sft.steps(), sft.batchSize(), sft.lr(), sft.warmupSteps(), sft.floorFraction(), sft.evalEvery(),
                sft.checkpointEvery(), sft.adam());
        RunSpec.Comparisons c = s.comparisons();
        range("comparisons.prompts", c.prompts(), 2, MAX);
        range("comparisons.held_out", c.heldOut(), 1, MAX);
        // the paper's K: each labeler ranks 4 to 9 outputs of one prompt
        range("comparisons.k", c.k(), 4, 9);
        range("comparisons.labelers", c.labelers(), 2, 1000);
        dataset("comparisons.dataset", c.dataset());
        labeling("comparisons", c.overlap(), c.quota(), c.deadlineMinutes(), c.leaseMinutes());
        if (c.overlap() != null && c.labelers() != null && c.overlap() > c.labelers()
                && !RunSpec.HUMAN.equals(s.labelers())) {
            fail("comparisons.overlap", "needs at least as many simulated labelers (comparisons.labelers, "
                    + c.labelers() + ") as labels per task");
        }
        RewardModelConfig rm = s.rm();
        loop("rm", rm.steps(), rm.batchSize(), rm.lr(), rm.warmupSteps(), rm.floorFraction(), rm.evalEvery(),
                rm.checkpointEvery(), rm.adam());
        ppo(s.ppo());
        DpoConfig dpo = s.dpo();
        loop("dpo", dpo.steps(), dpo.batchSize(), dpo.lr(), dpo.warmupSteps(), dpo.floorFraction(), dpo.evalEvery(),
                dpo.checkpointEvery(), dpo.adam());
        // beta scales the implicit reward; 0 would make every pair a coin flip and train nothing
        if (!(dpo.beta() > 0 && dpo.beta() <= 100)) {
            fail("dpo.beta", "must be > 0 and <= 100, got " + dpo.beta());
        }
        if (s.method() == Method.DPO && s.teamPrompts() && !s.evaluation().humanJudges()) {
            fail("method", "a DPO run has no reward model, and on a team's prompts with no people judging the verdict "
                    + "is the reward model's preference: set \"evaluation\": {\"judges\": \"human\"} or use ppo");
        }
        RunSpec.Evaluation eval = s.evaluation();
        range("evaluation.prompts", eval.prompts(), 1, MAX);
        oneOf("evaluation.judges", eval.judges(), LABELERS);
        String groupProblem = LabelerGroup.problem(eval.group());
        if (groupProblem != null) {
            fail("evaluation.group", groupProblem);
        }
        labeling("evaluation", eval.overlap(), eval.quota(), eval.deadlineMinutes(), eval.leaseMinutes());
        if (s.runtime() != null) {
            for (Map.Entry<String, StageRuntime> e : s.runtime().entrySet()) {
                String at = "runtime." + e.getKey();
                if (Stage.of(e.getKey()).isEmpty()) {
                    fail(at, "unknown stage; stages are " + stageIds());
                } else if (e.getValue() != null) {
                    range(at + ".timeout_minutes", e.getValue().timeoutMinutes(), 1, 7 * 24 * 60);
                    range(at + ".heartbeat_seconds", e.getValue().heartbeatSeconds(), 2, 3600);
                    range(at + ".max_attempts", e.getValue().maxAttempts(), 1, 100);
                }
            }
        }
        if (s.faults() != null) {
            if (s.faults().size() > MAX_FAULTS) {
                fail("faults", "must name at most " + MAX_FAULTS + " stages, got " + s.faults().size());
                return;
            }
            for (int i = 0; i < s.faults().size(); i++) {
                if (Stage.of(s.faults().get(i)).isEmpty()) {
                    fail("faults[" + i + "]", "unknown stage; stages are " + stageIds());
                }
            }
        }
    }

    /** What SFT, the reward model and DPO share: a step loop with a cosine schedule and AdamW. */
    private void loop(String at, int steps, int batchSize, float lr, int warmupSteps, float floorFraction, int evalEvery,
                      int checkpointEvery, AdamWConfig adam) {
        range(at + ".steps", steps, 1, MAX);
        range(at + ".batch_size", batchSize, 1, 4096);
        rate(at + ".lr", lr);
        if (steps >= 1) {
            range(at + ".warmup_steps", warmupSteps, 0, steps);
        }
        between(at + ".floor_fraction", floorFraction, 0, 1);
        range(at + ".eval_every", evalEvery, 0, MAX);
        range(at + ".checkpoint_every", checkpointEvery, 0, MAX);
        adam(at + ".adam", adam);
    }

    private void adam(String at, AdamWConfig a) {
        if (a == null) {
            return;
        }
        between(at + ".beta1", a.beta1(), 0, 0.9999);
        between(at + ".beta2", a.beta2(), 0, 0.9999);
        if (!(a.eps() > 0 && a.eps() <= 1)) {
            fail(at + ".eps", "must be > 0 and <= 1, got " + a.eps());
        }
        between(at + ".weight_decay", a.weightDecay(), 0, 1);
        between(at + ".grad_clip", a.gradClip(), 0, 1e6);
    }

    private void ppo(PpoConfig p) {
        range("ppo.iterations", p.iterations(), 1, MAX);
        range("ppo.prompts", p.prompts(), 1, MAX);
        range("ppo.rollout_batch", p.rolloutBatch(), 1, 4096);
        range("ppo.minibatch", p.minibatch(), 1, 4096);
        if (p.minibatch() > p.rolloutBatch()) {
            fail("ppo.minibatch", "must not exceed ppo.rollout_batch");
        }
        range("ppo.epochs", p.epochs(), 1, 100);
        rate("ppo.policy_lr", p.policyLr());
        rate("ppo.value_lr", p.valueLr());
        between("ppo.kl_coef", p.klCoef(), 0, 10);
        positive("ppo.kl_target", p.klTarget());
        positive("ppo.kl_horizon", p.klHorizon());
        if (!(p.clip() > 0 && p.clip() <= 1)) {
            fail("ppo.clip", "must be > 0 and <= 1, got " + p.clip());
        }
        positive("ppo.value_clip", p.valueClip());
        between("ppo.gamma", p.gamma(), 0, 1);
        between("ppo.lambda", p.lambda(), 0, 1);
        between("ppo.ptx_coef", p.ptxCoef(), 0, 100);
        range("ppo.ptx_batch", p.ptxBatch(), 1, 4096);
        range("ppo.max_new_tokens", p.maxNewTokens(), 1, 64);
        if (!(p.temperature() > 0 && p.temperature() <= 10)) {
            fail("ppo.temperature", "must be > 0 and <= 10, got " + p.temperature());
        }
        range("ppo.checkpoint_every", p.checkpointEvery(), 0, MAX);
        adam("ppo.adam", p.adam());
        RewardHackingGuardConfig g = p.guard();
        range("ppo.guard.window", g.window(), 1, 1000);
        range("ppo.guard.patience", g.patience(), 1, 1000);
        between("ppo.guard.drop", g.drop(), 0, 1);
        positive("ppo.guard.kl_budget", g.klBudget());
    }

    private void dataset(String field, String key) {
        objectKey(field, key, "a JSONL file");
    }

    private void objectKey(String field, String key, String what) {
        String problem = key == null ? null : ObjectKeys.problem(key, what);
        if (problem != null) {
            fail(field, problem);
        }
    }

    private void labeling(String stage, Integer overlap, Integer quota, Integer deadlineMinutes, Integer leaseMinutes) {
        range(stage + ".overlap", overlap, 1, MAX_OVERLAP);
        range(stage + ".quota", quota, 1, MAX);
        range(stage + ".deadline_minutes", deadlineMinutes, 1, MAX_MINUTES);
        range(stage + ".lease_minutes", leaseMinutes, 1, 24 * 60);
    }

    private void oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            fail(field, "must be one of " + allowed.stream().sorted().toList() + ", got '" + value + "'");
        }
    }

    private void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            fail(field, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** A learning rate. */
    private void rate(String field, float value) {
        if (!(value > 0 && value <= 1)) {
            fail(field, "must be > 0 and <= 1, got " + value);
        }
    }

    private void between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            fail(field, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    private void positive(String field, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            fail(field, "must be a positive number, got " + value);
        }
    }

    private void fail(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    private static List<String> stageIds() {
        return Arrays.stream(Stage.values()).map(Stage::id).toList();
    }
}
