package ai.instructflow.trainer.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.Fixtures;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class PpoTrainerTest {

    private static final PpoConfig CONFIG = new PpoConfig(4, 100, 8, 4, 2, 1e-3f, 1e-3f, 0.05f, true, 1f,
            100f, 0.2f, 0.2f, 1f, 0.95f, 0.5f, 4, 6, 1f, AdamWConfig.defaults(), 2, 11,
            RewardHackingGuardConfig.defaults());

    private static List<int[]> prompts() {
        return Fixtures.demonstrations(16, 3).stream().map(Demonstration::prompt).toList();
    }

    /** Runs PPO on fresh tiny models (same seeds each time) and returns the policy's weights. */
    private static Map<String, float[]> run(Checkpoint resume, TrainingListener listener,
                                            List<Map<String, Double>> history) {
        try (GPT sft = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM);
             GPT rm = GPT.create(Fixtures.shape(0f), Device.cpu(), 2, GPT.Head.SCORE);
             GPT policy = sft.copy(3, GPT.Head.LM);
             GPT value = rm.copy(4, GPT.Head.SCORE)) {
            PpoTrainer.Result result = new PpoTrainer(CONFIG, Fixtures.FORMAT).train(policy, value, sft, rm, prompts(),
                    Fixtures.demonstrations(16, 4), resume, listener, null);
            history.addAll(result.history());
            return Fixtures.weights(policy);
        }
    }

    @Test
    void ratioIsExactlyOneBeforeTheFirstUpdateAndMetricsAreReported() {
        List<Map<String, Double>> history = new java.util.ArrayList<>();
        run(null, TrainingListener.NONE, history);
        assertEquals(4, history.size());
        for (Map<String, Double> it : history) {
            assertEquals(0.0, it.get("initial_ratio_error"), 0.0, "pi / pi_old before any update of an iteration");
            for (String key : List.of("reward", "kl", "entropy", "response_length", "clip_fraction", "approx_kl",
                    "value_loss", "policy_loss", "ptx_loss", "beta")) {
                assertTrue(Double.isFinite(it.get(key)), key + " = " + it.get(key));
            }
            assertTrue(it.get("entropy") > 0);
        }
        // the first iteration's KL is against an identical reference: exactly 0
        assertEquals(0.0, history.get(0).get("kl"), 1e-6);
        assertTrue(history.get(1).get("beta") != 0.05, "the adaptive controller moved beta");
    }

    @Test
    void interruptedAndResumedRunMatchesTheUninterruptedOne() {
        List<Map<String, Double>> full = new java.util.ArrayList<>();
        Map<String, float[]> expected = run(null, TrainingListener.NONE, full);

        Fixtures.Capture capture = new Fixtures.Capture(2, true);
        assertThrows(CancellationException.class, () -> run(null, capture, new java.util.ArrayList<>()));
        List<Map<String, Double>> rest = new java.util.ArrayList<>();
        Map<String, float[]> actual = run(capture.checkpoint, TrainingListener.NONE, rest);
        assertEquals(2, rest.size(), "resumed at iteration 3 of 4");
        assertEquals(full.get(3).get("reward"), rest.get(1).get("reward"), 1e-3);
        expected.forEach((name, w) -> assertArrayEquals(w, actual.get(name), name));
    }
}
