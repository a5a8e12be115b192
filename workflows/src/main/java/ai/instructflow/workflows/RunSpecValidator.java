package ai.instructflow.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a run spec before anything starts, and names every bad field at once so a user fixes them
 * in one round. Limits are what the trainer can run, not tuning advice.
 */
public final class RunSpecValidator {

    private static final Set<String> PRESETS = Set.of("tiny", "small");
    private static final Set<String> RESOURCES = Set.of("cpu", "gpu");
    private static final Set<String> LABELERS = Set.of(RunSpec.SIMULATED, RunSpec.HUMAN);
    private static final int MAX_OVERLAP = 10;
    private static final int MAX_MINUTES = 365 * 24 * 60;
    private static final int MAX = 10_000_000;

    private final List<FieldError> errors = new ArrayList<>();

    private RunSpecValidator() {}

    public static List<FieldError> validate(RunSpec s) {
        RunSpecValidator v = new RunSpecValidator();
        if (s == null) {
            v.errors.add(new FieldError("body", "a run spec is required, at least {\"name\": \"...\"}"));
            return v.errors;
        }
        v.spec(s);
        return List.copyOf(v.errors);
    }

    private void spec(RunSpec s) {
        if (s.name() == null || s.name().isBlank()) {
            fail("name", "is required");
        } else if (s.name().length() > 100) {
            fail("name", "must be at most 100 characters");
        }
        oneOf("preset", s.preset(), PRESETS);
        oneOf("resources", s.resources(), RESOURCES);
        oneOf("labelers", s.labelers(), LABELERS);
        if (s.baseCheckpoint() != null && s.baseCheckpoint().isBlank()) {
            fail("base_checkpoint", "must be an object key in the platform's bucket");
        }
        if (s.seed() != null && s.seed() < 0) {
            fail("seed", "must be >= 0");
        }
        if (s.demonstrations() != null) {
            range("demonstrations.count", s.demonstrations().count(), 1, MAX);
            dataset("demonstrations.dataset", s.demonstrations().dataset());
            RunSpec.Demonstrations d = s.demonstrations();
            labeling("demonstrations", d.overlap(), d.quota(), d.deadlineMinutes(), d.leaseMinutes());
        }
        if (s.sft() != null) {
            range("sft.steps", s.sft().steps(), 1, MAX);
            range("sft.batch_size", s.sft().batchSize(), 1, 4096);
            rate("sft.lr", s.sft().lr());
            range("sft.checkpoint_every", s.sft().checkpointEvery(), 0, MAX);
        }
        if (s.comparisons() != null) {
            range("comparisons.prompts", s.comparisons().prompts(), 2, MAX);
            range("comparisons.held_out", s.comparisons().heldOut(), 1, MAX);
            // the paper's K: each labeler ranks 4 to 9 outputs of one prompt
            range("comparisons.k", s.comparisons().k(), 4, 9);
            range("comparisons.labelers", s.comparisons().labelers(), 2, 1000);
            RunSpec.Comparisons c = s.comparisons();
            dataset("comparisons.dataset", c.dataset());
            labeling("comparisons", c.overlap(), c.quota(), c.deadlineMinutes(), c.leaseMinutes());
            if (c.overlap() != null && c.labelers() != null && c.overlap() > c.labelers()
                    && !RunSpec.HUMAN.equals(s.labelers())) {
                fail("comparisons.overlap", "needs at least as many simulated labelers (comparisons.labelers, "
                        + c.labelers() + ") as labels per task");
            }
        }
        if (s.rm() != null) {
            range("rm.steps", s.rm().steps(), 1, MAX);
            range("rm.batch_size", s.rm().batchSize(), 1, 4096);
            rate("rm.lr", s.rm().lr());
            range("rm.checkpoint_every", s.rm().checkpointEvery(), 0, MAX);
        }
        if (s.ppo() != null) {
            ppo(s.ppo());
        }
        if (s.evaluation() != null) {
            range("evaluation.prompts", s.evaluation().prompts(), 1, MAX);
        }
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
            for (int i = 0; i < s.faults().size(); i++) {
                if (Stage.of(s.faults().get(i)).isEmpty()) {
                    fail("faults[" + i + "]", "unknown stage; stages are " + stageIds());
                }
            }
        }
    }

    private void ppo(RunSpec.Ppo p) {
        range("ppo.iterations", p.iterations(), 1, MAX);
        range("ppo.prompts", p.prompts(), 1, MAX);
        range("ppo.rollout_batch", p.rolloutBatch(), 1, 4096);
        range("ppo.minibatch", p.minibatch(), 1, 4096);
        if (p.minibatch() != null && p.rolloutBatch() != null && p.minibatch() > p.rolloutBatch()) {
            fail("ppo.minibatch", "must not exceed ppo.rollout_batch");
        }
        range("ppo.epochs", p.epochs(), 1, 100);
        rate("ppo.policy_lr", p.policyLr());
        rate("ppo.value_lr", p.valueLr());
        if (p.klCoef() != null && !(p.klCoef() >= 0 && p.klCoef() <= 10)) {
            fail("ppo.kl_coef", "must be between 0 and 10");
        }
        range("ppo.max_new_tokens", p.maxNewTokens(), 1, 64);
        range("ppo.checkpoint_every", p.checkpointEvery(), 0, MAX);
    }

    private void dataset(String field, String key) {
        if (key != null && key.isBlank()) {
            fail(field, "must be an object key of a JSONL file");
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

    private void rate(String field, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            fail(field, "must be > 0 and <= 1, got " + value);
        }
    }

    private void fail(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    private static List<String> stageIds() {
        return java.util.Arrays.stream(Stage.values()).map(Stage::id).toList();
    }
}
