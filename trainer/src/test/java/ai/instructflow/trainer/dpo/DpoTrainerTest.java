package ai.instructflow.trainer.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Comparison;
import ai.instructflow.trainer.train.Demonstration;
import ai.instructflow.trainer.train.Fixtures;
import ai.instructflow.trainer.train.RankingLoss;
import ai.instructflow.trainer.train.ResponseLogProbs;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class DpoTrainerTest {

    private static final int PAD = Fixtures.FORMAT.tokenizer().pad();
    private static final DpoConfig CONFIG = new DpoConfig(8, 4, 1e-2f, 2, 0.1f, 0.5f, AdamWConfig.defaults(), 4, 3, 7);

    /** Each prompt's demonstration preferred over another prompt's answer, alternately first and second. */
    private static List<Comparison> comparisons(int n, long seed) {
        List<Demonstration> demos = Fixtures.demonstrations(n + 1, seed);
        List<Comparison> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] chosen = demos.get(i).response();
            int[] rejected = demos.get(i + 1).response();
            out.add(i % 2 == 0 ? new Comparison(demos.get(i).prompt(), List.of(chosen, rejected), new int[] {0, 1})
                    : new Comparison(demos.get(i).prompt(), List.of(rejected, chosen), new int[] {1, 0}));
        }
        return out;
    }

    /** Mean over the comparisons of (log pi - log ref)(chosen) - (log pi - log ref)(rejected). */
    private static double chosenOverRejected(GPT policy, GPT reference, List<Comparison> data) {
        List<Demonstration> rows = RankingLoss.Responses.of(data).sequences();
        float[] logp = ResponseLogProbs.sums(policy, rows, PAD, 16);
        float[] ref = ResponseLogProbs.sums(reference, rows, PAD, 16);
        double sum = 0;
        int base = 0;
        for (Comparison c : data) {
            int[] pair = c.pairs().get(0);
            sum += (logp[base + pair[0]] - ref[base + pair[0]]) - (logp[base + pair[1]] - ref[base + pair[1]]);
            base += c.responses().size();
        }
        return sum / data.size();
    }

    private record Run(Map<String, float[]> weights, DpoTrainer.Result result, double chosenOverRejected) {}

    /** DPO of a copy of a fresh tiny "SFT" model (same seeds each time) against that model. */
    private static Run run(Checkpoint resume, TrainingListener listener) {
        List<Comparison> data = comparisons(12, 3);
        try (GPT sft = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM);
             GPT policy = sft.copy(2, GPT.Head.LM)) {
            assertEquals(0.0, chosenOverRejected(policy, sft, data), 0.0, "the policy starts as the reference");
            DpoTrainer.Result result = new DpoTrainer(CONFIG, PAD).train(policy, sft, data, comparisons(6, 4),
                    resume, listener);
            return new Run(Fixtures.weights(policy), result, chosenOverRejected(policy, sft, data));
        }
    }

    @Test
    void raisesTheChosenAnswersLogProbabilityOverTheRejectedOnesAndReportsItsMetrics() {
        Fixtures.Capture capture = new Fixtures.Capture(-1, false);
        Run run = run(null, capture);
        assertTrue(run.chosenOverRejected() > 1, "log-ratio gap chosen - rejected after 8 steps: " + run.chosenOverRejected());
        assertEquals(8, capture.metrics.size());
        Map<String, Double> first = capture.metrics.get(0);
        // step 1 runs before any update: policy = reference, so every implicit reward is 0
        assertEquals(Math.log(2), first.get("loss"), 1e-5);
        assertEquals(0.0, first.get("reward_margin"), 1e-6);
        assertEquals(0.0, first.get("log_ratio"), 1e-6);
        Map<String, Double> last = capture.metrics.get(7);
        assertTrue(last.get("loss") < Math.log(2), "loss " + last.get("loss"));
        assertTrue(last.get("reward_margin") > 0, "margin " + last.get("reward_margin"));
        assertTrue(last.get("accuracy") >= 0.75, "implicit reward accuracy on the last batch of 4: " + last.get("accuracy"));
        for (String key : List.of("loss", "accuracy", "reward_margin", "log_ratio", "heldout_accuracy", "lr",
                "grad_norm")) {
            assertTrue(Double.isFinite(last.get(key)), key + " = " + last.get(key));
        }
        assertEquals(last.get("heldout_accuracy"), run.result().heldOutAccuracy(), 0.0);
    }

    @Test
    void interruptedAndResumedRunMatchesTheUninterruptedOne() {
        Run full = run(null, TrainingListener.NONE);

        Fixtures.Capture capture = new Fixtures.Capture(3, true);
        assertThrows(CancellationException.class, () -> run(null, capture));
        assertEquals(3, capture.metrics.size(), "cancelled right after the checkpoint of step 3");
        Fixtures.Capture rest = new Fixtures.Capture(-1, false);
        Run resumed = run(capture.checkpoint, rest);
        assertEquals(5, rest.metrics.size(), "the resumed run does steps 4..8 only");
        assertEquals(full.result().trainLoss(), resumed.result().trainLoss(), 0.0);
        full.weights().forEach((name, w) -> assertArrayEquals(w, resumed.weights().get(name), name));
    }
}
