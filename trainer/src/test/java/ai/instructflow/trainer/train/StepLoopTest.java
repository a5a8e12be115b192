package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.optim.CosineSchedule;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Overflowing steps: a rare one is skipped and leaves the weights intact; persistent ones stop the loop. */
class StepLoopTest {

    private static final String WEIGHT = "wte";

    private static StepLoop.Settings settings(int steps) {
        return new StepLoop.Settings("test", "policy/", steps, new CosineSchedule(1e-3f, 0.1f, 1, steps),
                AdamWConfig.defaults(), 0, 0, 1);
    }

    /** A small finite loss, except at the given steps: NaN gradients with a finite loss, or an infinite loss. */
    private static StepLoop.Step loss(GPT model, Set<Long> nanGradient, Set<Long> infiniteLoss) {
        return (i, gc) -> {
            NDArray w = model.parameters().get(WEIGHT);
            // every step starts from cleared gradients, also the one after a skipped overflow
            for (float g : w.getGradient().toFloatArray()) {
                assertEquals(0f, g, "gradient left over at step " + i);
            }
            NDArray loss;
            if (nanGradient.contains(i)) {
                loss = w.mul(0f).sqrt().sum();  // value 0, gradient 0 * 1/sqrt(0) = NaN
            } else if (infiniteLoss.contains(i)) {
                loss = w.sum().mul(Float.POSITIVE_INFINITY);
            } else {
                loss = w.square().mean();
            }
            gc.backward(loss);
            return Map.of("loss", (double) loss.getFloat());
        };
    }

    @Test
    void overflowingStepsAreSkippedAndTrainingGoesOn() {
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM)) {
            float[] before = model.parameters().get(WEIGHT).toFloatArray();
            Map<String, Double> last = StepLoop.run(settings(6), model, null, TrainingListener.NONE,
                    loss(model, Set.of(2L), Set.of(4L)), null);
            assertEquals(2.0, last.get("skipped_steps"));
            float[] after = model.parameters().get(WEIGHT).toFloatArray();
            for (float v : after) {
                assertTrue(Float.isFinite(v), "weights stay finite");
            }
            assertNotEquals(before[0], after[0], "the finite steps updated the weights");

        }
    }

    @Test
    void persistentOverflowStopsTheLoopNamingTheStep() {
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM)) {
            DivergenceException e = assertThrows(DivergenceException.class, () -> StepLoop.run(settings(10), model, null,
                    TrainingListener.NONE, loss(model, Set.of(), Set.of(1L, 2L, 3L, 4L, 5L)), null));
            assertTrue(e.getMessage().contains("at step 4"), e.getMessage());
            for (float v : model.parameters().get(WEIGHT).toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
