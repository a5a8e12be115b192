package ai.instructflow.trainer.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.instructflow.trainer.train.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class DpoLossTest {

    @Test
    void lossOnHandComputedNumbers() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one pair: log pi = (-1, -2), log ref = (-1.5, -1); log-ratios 0.5 (chosen) and -1 (rejected)
            // L = -log sigmoid(0.5 * (0.5 - (-1))) = softplus(-0.75)
            DpoLoss.Value v = DpoLoss.of(m.create(new float[] {-1f, -2f}), m.create(new float[] {-1.5f, -1f}), 0.5f,
                    List.of(Fixtures.ranked(0, 1)));
            assertEquals(0.386871, Fixtures.softplus(-0.75), 1e-6);
            assertEquals(Fixtures.softplus(-0.75), v.loss().getFloat(), 1e-6);
            assertEquals(0.75, v.pairs().margin().getFloat(), 1e-6);
            assertEquals(1.0, v.pairs().accuracy().getFloat(), 0);
            assertEquals(-0.25, v.logRatio().getFloat(), 1e-6);
        }
    }

    @Test
    void theRejectedAnswerMovingUpIsPenalisedAndPairsOfAPromptShareOneWeight() {
        try (NDManager m = NDManager.newBaseManager()) {
            // prompt A, K = 2, ranked (1, 0): response 1 is chosen. log-ratios (0.2, 0.6): chosen - rejected = 0.4
            // prompt B, K = 3, ranked (0, 1, 2), log-ratios (0, -1, 1): pairs 0>1 (+1), 0>2 (-1), 1>2 (-2)
            float beta = 2f;
            DpoLoss.Value v = DpoLoss.of(m.create(new float[] {-0.8f, -0.4f, -3f, -5f, -1f}),
                    m.create(new float[] {-1f, -1f, -3f, -4f, -2f}), beta, List.of(Fixtures.ranked(1, 0), Fixtures.ranked(0, 1, 2)));
            double promptA = Fixtures.softplus(-beta * 0.4);
            double promptB = (Fixtures.softplus(-beta * 1) + Fixtures.softplus(beta * 1) + Fixtures.softplus(beta * 2)) / 3;
            assertEquals((promptA + promptB) / 2, v.loss().getFloat(), 1e-5);
            assertEquals(2.0 / 4, v.pairs().accuracy().getFloat(), 1e-6, "prompt A's pair and B's 0 > 1 are ordered right");
            assertEquals(beta * (0.4 + 1 - 1 - 2) / 4, v.pairs().margin().getFloat(), 1e-5);
        }
    }
}
