package ai.instructflow.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.trainer.dpo.DpoConfig;
import ai.instructflow.trainer.pipeline.Method;
import ai.instructflow.trainer.ppo.PpoConfig;
import ai.instructflow.trainer.ppo.RewardHackingGuardConfig;
import ai.instructflow.trainer.sft.SftConfig;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A submission laid over the defaults: every setting filled in, read strictly, derived defaults derived. */
class RunSpecsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNameAloneIsTheDefaultsWithEveryHiddenSettingSpelledOut() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"x\"}");
        JsonNode stored = JSON.valueToTree(spec);
        for (String path : List.of("/ppo/clip", "/ppo/gamma", "/ppo/lambda", "/ppo/value_clip", "/ppo/adam/beta2",
                "/sft/warmup_steps", "/sft/floor_fraction", "/sft/adam/weight_decay", "/rm/adam/grad_clip", "/rm/eval_every")) {
            assertTrue(stored.at(path).isNumber(), path + " is stored");
        }
        assertEquals(PpoConfig.defaults().clip(), spec.ppo().clip());
        assertEquals(List.of(), RunSpecValidator.validate(spec));
    }

    @Test
    void theDocumentedSpecIsTheOneYouGet() throws Exception {
        String doc = Files.readString(Path.of("../docs/run-spec.md"));
        int from = doc.indexOf("```json\n") + "```json\n".length();
        JsonNode documented = JSON.readTree(doc.substring(from, doc.indexOf("```", from)));
        JsonNode actual = JSON.readTree(JSON.writeValueAsString(RunSpecs.resolve("{\"name\": \"my-run\"}")));
        assertEquals(actual, documented, "docs/run-spec.md shows the stored spec of {\"name\": \"my-run\"}");
    }

    @Test
    void aRunStartedBeforeThereWasAMethodIsPposWhenItsWorkflowReplays() throws Exception {
        // its workflow's input, as Temporal stored it then: no method, no dpo section
        ObjectNode old = JSON.valueToTree(RunSpecs.resolve("{\"name\": \"x\"}"));
        old.remove("method");
        old.remove("dpo");
        DataConverter temporal = DefaultDataConverter.STANDARD_INSTANCE;
        RunSpec spec = temporal.fromPayload(temporal.toPayload(old).orElseThrow(), RunSpec.class, RunSpec.class);
        assertEquals(Method.PPO, spec.method());
        assertEquals(Stage.PPO, spec.policyStage());
    }

    @Test
    void nestedFieldsMergeOverTheDefaultsOneByOne() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"x\", \"ppo\": {\"clip\": 0.3, \"adam\": {\"beta1\": 0.8}}}");
        assertEquals(0.3f, spec.ppo().clip());
        assertEquals(0.8f, spec.ppo().adam().beta1());
        assertEquals(PpoConfig.defaults().adam().beta2(), spec.ppo().adam().beta2());
        assertEquals(PpoConfig.defaults().iterations(), spec.ppo().iterations());
    }

    @Test
    void eachTrainersSeedComesFromTheRunSeedAndTheStagesNameUnlessGiven() throws Exception {
        RunSpec one = RunSpecs.resolve("{\"name\": \"x\", \"seed\": 1}");
        RunSpec two = RunSpecs.resolve("{\"name\": \"x\", \"seed\": 2}");
        assertNotEquals(one.sft().seed(), one.rm().seed());
        assertNotEquals(one.sft().seed(), two.sft().seed());
        assertEquals(one.sft().seed(), RunSpecs.resolve("{\"name\": \"other\", \"seed\": 1}").sft().seed());
        assertEquals(StageSeeds.of(1, "sft/trainer"), one.sft().seed());
        assertEquals(7, RunSpecs.resolve("{\"name\": \"x\", \"sft\": {\"seed\": 7}}").sft().seed());
        assertNotEquals(StageSeeds.of(1, Stage.SFT), StageSeeds.of(1, Stage.RM));
    }

    @Test
    void aShortRunWarmsUpForATenthOfItsStepsUnlessToldOtherwise() throws Exception {
        assertEquals(4, RunSpecs.resolve("{\"name\": \"x\", \"sft\": {\"steps\": 40}}").sft().warmupSteps());
        assertEquals(SftConfig.defaults().warmupSteps(), RunSpecs.resolve("{\"name\": \"x\"}").sft().warmupSteps());
        assertEquals(2, RunSpecs.resolve("{\"name\": \"x\", \"sft\": {\"steps\": 40, \"warmup_steps\": 2}}").sft().warmupSteps());
    }

    @Test
    void anImportedDatasetNeedsNoQueueSettings() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"x\", \"demonstrations\": {\"dataset\": \"datasets/d.jsonl\"},"
                + " \"comparisons\": {\"dataset\": \"datasets/c.jsonl\"}}");
        assertEquals(new RunSpec.Demonstrations(null, "datasets/d.jsonl", null, null, null, null), spec.demonstrations());
        assertNull(spec.comparisons().overlap());
        assertEquals(300, spec.comparisons().heldOut());
    }

    @Test
    void theBindingCoercesNothing() {
        for (String bad : List.of("{\"name\": 123}", "{\"name\": \"x\", \"sft\": {\"steps\": 1.5}}",
                "{\"name\": \"x\", \"sft\": {\"steps\": \"5\"}}", "{\"name\": \"x\", \"sft\": {\"stepz\": 5}}",
                "{\"name\": \"x\", \"cache\": \"yes\"}", "{\"name\": \"x\", \"sft\": 3}")) {
            JsonMappingException e = assertThrows(JsonMappingException.class, () -> RunSpecs.resolve(bad), bad);
            assertTrue(!e.getPath().isEmpty(), bad + " names its field");
        }
    }

    @Test
    void theValidatorNamesEveryBadFieldOfTheWholeSpec() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"x\", \"ppo\": {\"clip\": 0, \"gamma\": 2, \"minibatch\": 128,"
                + " \"guard\": {\"window\": 0, \"kl_budget\": -1}}, \"sft\": {\"adam\": {\"beta2\": 1.5}}}");
        assertEquals(List.of("sft.adam.beta2", "ppo.minibatch", "ppo.clip", "ppo.gamma", "ppo.guard.window",
                        "ppo.guard.kl_budget"),
                RunSpecValidator.validate(spec).stream().map(FieldError::field).toList());
    }

    @Test
    void theGuardIsOnByDefaultAndASpecStoredBeforeItExistedGetsItsDefaults() throws Exception {
        assertEquals(RewardHackingGuardConfig.defaults(), RunSpecs.resolve("{\"name\": \"x\"}").ppo().guard());
        assertFalse(RunSpecs.resolve("{\"name\": \"x\", \"ppo\": {\"guard\": {\"enabled\": false}}}").ppo().guard()
                .enabled());
        // a workflow input Temporal stored before the guard existed
        ObjectNode old = JSON.valueToTree(RunSpecs.resolve("{\"name\": \"x\"}"));
        ((ObjectNode) old.get("ppo")).remove("guard");
        DataConverter temporal = DefaultDataConverter.STANDARD_INSTANCE;
        RunSpec spec = temporal.fromPayload(temporal.toPayload(old).orElseThrow(), RunSpec.class, RunSpec.class);
        assertEquals(RewardHackingGuardConfig.defaults(), spec.ppo().guard());
    }

    @Test
    void theMethodIsPpoUnlessDpoIsAskedForAndDpoHasASectionOfItsOwn() throws Exception {
        RunSpec ppo = RunSpecs.resolve("{\"name\": \"x\"}");
        assertEquals(Method.PPO, ppo.method());
        assertEquals(Stage.PPO, ppo.policyStage());
        assertEquals("ppo", JSON.valueToTree(ppo).path("method").asText(), "stored by its name");
        RunSpec dpo = RunSpecs.resolve("{\"name\": \"x\", \"method\": \"dpo\", \"dpo\": {\"beta\": 0.3, \"steps\": 30}}");
        assertEquals(Method.DPO, dpo.method());
        assertEquals(Stage.DPO, dpo.policyStage());
        assertEquals(0.3f, dpo.dpo().beta());
        assertEquals(DpoConfig.defaults().lr(), dpo.dpo().lr());
        assertEquals(3, dpo.dpo().warmupSteps(), "a tenth of a short run's steps");
        assertEquals(StageSeeds.of(1, "dpo/trainer"), dpo.dpo().seed());
        assertEquals(List.of(), RunSpecValidator.validate(dpo));
    }

    @Test
    void aMethodThatIsNoneOfTheNamesIsRefusedNamingTheField() {
        for (String bad : List.of("{\"name\": \"x\", \"method\": \"sgd\"}", "{\"name\": \"x\", \"method\": \"DPO\"}",
                "{\"name\": \"x\", \"method\": 1}", "{\"name\": \"x\", \"method\": true}",
                "{\"name\": \"x\", \"dpo\": {\"beta\": \"0.1\"}}", "{\"name\": \"x\", \"dpo\": {\"betta\": 0.1}}")) {
            JsonMappingException e = assertThrows(JsonMappingException.class, () -> RunSpecs.resolve(bad), bad);
            assertEquals(bad.contains("method") ? "method" : "dpo", e.getPath().get(0).getFieldName(), bad);
        }
    }

    @Test
    void badDpoSettingsAreNamedByTheValidator() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"x\", \"method\": \"dpo\", \"dpo\": {\"steps\": 0, \"lr\": 2,"
                + " \"beta\": 0, \"adam\": {\"beta1\": -1}}}");
        assertEquals(List.of("dpo.steps", "dpo.lr", "dpo.adam.beta1", "dpo.beta"),
                RunSpecValidator.validate(spec).stream().map(FieldError::field).toList());
        RunSpec teamPrompts = RunSpecs.resolve("{\"name\": \"x\", \"method\": \"dpo\", \"labelers\": \"human\","
                + " \"prompts\": {\"dataset\": \"datasets/prompts/p.jsonl\"}}");
        assertEquals(List.of("method"), RunSpecValidator.validate(teamPrompts).stream().map(FieldError::field).toList(),
                "no reward model for the proxy verdict");
    }
}
