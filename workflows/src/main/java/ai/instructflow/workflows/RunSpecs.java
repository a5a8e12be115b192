package ai.instructflow.workflows;

import ai.instructflow.trainer.dpo.DpoConfig;
import ai.instructflow.trainer.pipeline.Method;
import ai.instructflow.trainer.pipeline.PipelineConfig;
import ai.instructflow.trainer.rm.RewardModelConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns what a user submits into a {@link RunSpec} with every setting filled in. The submitted JSON
 * is laid over {@link #defaults()} field by field (objects merge, anything else replaces), and read
 * strictly: an unknown property, a string where a number belongs, a fraction where an integer
 * belongs or a number where a string belongs is refused, naming the field.
 *
 * <p>Two kinds of default depend on other settings and are derived unless given: each trainer's
 * seed comes from the run's seed and the stage's name ({@link StageSeeds}), and a short run warms up
 * for a tenth of its steps when that is less than the trainer's warm-up.
 */
public final class RunSpecs {

    /** A week for people to finish a queue; simulated labelers take seconds. */
    public static final int DEADLINE_MINUTES = 7 * 24 * 60;
    public static final int LEASE_MINUTES = 30;
    /** Two labels per ranking task, so that labeler agreement is measured on every run (the paper's 72.6%). */
    public static final int COMPARISON_OVERLAP = 2;
    /** The labeler group human judges come from unless the spec names another. */
    public static final String JUDGE_GROUP = "held-out";

    private static final ObjectMapper STRICT = StrictJson.apply(JsonMapper.builder().build());

    private RunSpecs() {}

    /** Every default, in one place: the trainers' own, and the platform's for labeling. */
    public static RunSpec defaults() {
        PipelineConfig d = PipelineConfig.defaults();
        return new RunSpec(null, d.preset(), null, null, PromptFormat.Template.DEFAULT, d.seed(), "cpu", RunSpec.SIMULATED, false, Method.PPO, null,
                new RunSpec.Demonstrations(d.demonstrations(), null, 1, null, DEADLINE_MINUTES, LEASE_MINUTES),
                d.sft(),
                new RunSpec.Comparisons(d.comparisonPrompts(), d.heldOutComparisons(), d.k(), d.labelers(), null,
                        COMPARISON_OVERLAP, null, DEADLINE_MINUTES, LEASE_MINUTES, false),
                d.rm(), d.ppo(), d.dpo(), new RunSpec.Evaluation(d.evalPrompts(), RunSpec.SIMULATED, JUDGE_GROUP, 1, null, DEADLINE_MINUTES,
                        LEASE_MINUTES), null, null);
    }

    public static RunSpec resolve(String json) throws JsonProcessingException {
        return resolve(STRICT.readTree(json));
    }

    /** The submitted JSON over the defaults; binding errors name the field (see the class comment). */
    public static RunSpec resolve(JsonNode given) throws JsonProcessingException {
        if (given == null || !given.isObject()) {
            // an absent body, JSON null, an array or a scalar: the binder's own error names the shape it wanted
            throw MismatchedInputException.from(null, RunSpec.class, "a run spec is a JSON object");
        }
        ObjectNode spec = STRICT.valueToTree(defaults());
        merge(spec, given);
        long seed = spec.path("seed").canConvertToLong() ? spec.path("seed").asLong() : 1;
        derive(spec, given, "sft", seed, SftConfig.defaults().warmupSteps());
        derive(spec, given, "rm", seed, RewardModelConfig.defaults().warmupSteps());
        derive(spec, given, "ppo", seed, null);
        derive(spec, given, "dpo", seed, DpoConfig.defaults().warmupSteps());
        if (given.path("demonstrations").hasNonNull("dataset")) {
            ((ObjectNode) spec.get("demonstrations")).retain("dataset");
        }
        if (given.path("comparisons").hasNonNull("dataset")) {
            // an imported file needs no queue; its held-out share and the judges' group size still apply
            ((ObjectNode) spec.get("comparisons")).remove(java.util.List.of("overlap", "quota", "deadline_minutes",
                    "lease_minutes", "ties"));
        }
        return STRICT.treeToValue(spec, RunSpec.class);
    }

    /** Objects merge field by field; a null leaves the default; anything else replaces it. */
    private static void merge(ObjectNode into, JsonNode given) {
        Iterator<Map.Entry<String, JsonNode>> fields = given.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode mine = into.get(f.getKey());
            if (f.getValue().isNull()) {
                continue;
            }
            if (mine != null && mine.isObject() && f.getValue().isObject()) {
                merge((ObjectNode) mine, f.getValue());
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void derive(ObjectNode spec, JsonNode given, String stage, long runSeed, Integer warmup) {
        if (!(spec.get(stage) instanceof ObjectNode section)) {
            return;  // not an object: the binder names the field
        }
        JsonNode mine = given.path(stage);
        if (!mine.hasNonNull("seed")) {
            // apart from the stage's own generator (StageSeeds.random), so the two never draw the same sequence
            section.put("seed", StageSeeds.of(runSeed, stage + "/trainer"));
        }
        if (warmup != null && !mine.hasNonNull("warmup_steps") && section.path("steps").canConvertToInt()) {
            section.put("warmup_steps", Math.min(warmup, Math.max(1, section.get("steps").asInt() / 10)));
        }
    }
}
