package ai.instructflow.trainer.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaeTest {

    @Test
    void advantagesAndReturnsOnHandComputedNumbers() {
        float[] rewards = {0f, 0f, 1f};
        float[] values = {0.5f, 0.2f, 0.1f};
        float[] adv = new float[3];
        float[] ret = new float[3];
        Gae.compute(rewards, values, 3, 1f, 0.95f, adv, ret);
        // t=2: 1 - 0.1 = 0.9; t=1: (0 + 0.1 - 0.2) + 0.95 * 0.9 = 0.755; t=0: (0.2 - 0.5) + 0.95 * 0.755
        assertArrayEquals(new float[] {0.41725f, 0.755f, 0.9f}, adv, 1e-6f);
        assertArrayEquals(new float[] {0.91725f, 0.955f, 1.0f}, ret, 1e-6f);

        Gae.compute(rewards, values, 3, 0.9f, 0.95f, adv, ret);
        // t=1: 0.9 * 0.1 - 0.2 + 0.855 * 0.9 = 0.6595; t=0: 0.9 * 0.2 - 0.5 + 0.855 * 0.6595
        assertArrayEquals(new float[] {0.2438725f, 0.6595f, 0.9f}, adv, 1e-6f);
    }

    @Test
    void onlyTheFirstLengthTokensAreTouched() {
        float[] adv = {9f, 9f, 9f};
        float[] ret = {9f, 9f, 9f};
        Gae.compute(new float[] {1f, 0f, 0f}, new float[] {0f, 0f, 0f}, 1, 1f, 0.95f, adv, ret);
        assertArrayEquals(new float[] {1f, 9f, 9f}, adv);
    }

    @Test
    void adaptiveKlControllerMovesBetaTowardTheTarget() {
        KlController fixed = new KlController(0.02, false, 6, 10_000);
        fixed.update(100, 64);
        assertEquals(0.02, fixed.beta(), 0);
        KlController adaptive = new KlController(0.02, true, 6, 10_000);
        adaptive.update(12, 1000); // KL twice the target: error clipped to +0.2
        assertEquals(0.02 * (1 + 0.2 * 1000 / 10_000.0), adaptive.beta(), 1e-12);
        adaptive.update(3, 1000); // half the target: -0.5 clipped to -0.2
        assertEquals(0.02 * 1.02 * 0.98, adaptive.beta(), 1e-12);
    }
}
