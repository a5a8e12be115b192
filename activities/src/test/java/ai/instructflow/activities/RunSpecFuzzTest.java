package ai.instructflow.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.ObjectKeys;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecValidator;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.WellFormedText;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a caller submits as a run spec is either bound and checked, every problem named as a
 * field, or refused by the binder; nothing else escapes (no NullPointerException, no overflow), and
 * a spec that passes holds only values a run can take.
 */
class RunSpecFuzzTest {

    private static final String SEED = """
            {"name": "fuzz", "seed": 3, "preset": "small", "resources": "cpu", "labelers": "human", "cache": true,
             "base_checkpoint": "runs/20261201-000000-abcdef/sft/model.ckpt",
             "demonstrations": {"count": 200, "quota": 10, "overlap": 1, "deadline_minutes": 60, "lease_minutes": 5},
             "sft": {"steps": 20, "batch_size": 16, "checkpoint_every": 10, "lr": 0.001},
             "comparisons": {"prompts": 60, "held_out": 20, "k": 4, "labelers": 4, "overlap": 2, "ties": false},
             "rm": {"steps": 10, "batch_size": 8, "checkpoint_every": 5},
             "ppo": {"iterations": 3, "prompts": 100, "rollout_batch": 32, "minibatch": 16, "epochs": 2,
                     "max_new_tokens": 24, "checkpoint_every": 1, "clip": 0.2, "temperature": 1.0},
             "evaluation": {"prompts": 40, "judges": "human", "group": "held-out", "overlap": 2},
             "faults": ["rm", "ppo"]}
            """;

    @Provide
    Arbitrary<String> specs() {
        return HostileJson.mutationsOf(SEED);
    }

    @Property(tries = 1500)
    void aSpecIsBoundAndCheckedOrRefusedNamingWhy(@ForAll("specs") String submitted) throws JsonProcessingException {
        RunSpec spec;
        try {
            spec = RunSpecs.resolve(submitted);
        } catch (JsonProcessingException refusedByTheBinder) {
            return;
        }
        List<FieldError> errors = RunSpecValidator.validate(spec);
        errors.forEach(e -> assertTrue(e.field() != null && !e.field().isBlank() && e.reason() != null, e.toString()));
        if (errors.isEmpty()) {
            assertTrue(!spec.name().isBlank() && spec.name().length() <= 100 && WellFormedText.check(spec.name()),
                    spec.name());
            if (spec.baseCheckpoint() != null) {
                assertNull(ObjectKeys.problem(spec.baseCheckpoint(), "a checkpoint"), spec.baseCheckpoint());
            }
            assertTrue(spec.sft().steps() >= 1, "sft.steps " + spec.sft().steps());
            assertTrue(spec.faults() == null || spec.faults().size() <= 100, "faults " + spec.faults());
            // a resume reads the stored spec back: it must bind to the very same settings
            assertEquals(spec, RunSpecs.resolve(RunStore.JSON.writeValueAsString(spec)));
        }
    }
}
