package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingLossTest {

    @Test
    void lossOnHandComputedNumbers() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one prompt, K = 3, ranked in order: pairs (0,1) d=1, (0,2) d=1.5, (1,2) d=0.5
            NDArray rewards = m.create(new float[] {2f, 1f, 0.5f});
            RankingLoss.Value out = RankingLoss.of(rewards, List.of(Fixtures.ranked(0, 1, 2)));
            double expected = (Fixtures.softplus(-1) + Fixtures.softplus(-1.5) + Fixtures.softplus(-0.5)) / 3;
            assertEquals(0.329584, expected, 1e-6);
            assertEquals(expected, out.loss().getFloat(), 1e-6);
            assertEquals(1.0, out.accuracy().getFloat(), 1e-6);
            assertEquals((1 + 1.5 + 0.5) / 3, out.margin().getFloat(), 1e-6);
        }
    }

    @Test
    void eachPromptWeighsTheSameWhateverItsKAndTiesMakeNoPair() {
        try (NDManager m = NDManager.newBaseManager()) {
            // prompt A: K=2, the worse response scores higher (d = -2); prompt B: K=3 with a tie
            // between responses 1 and 2, so only pairs (0,1) d=3 and (0,2) d=1 count.
            NDArray rewards = m.create(new float[] {0f, 2f, 4f, 1f, 3f});
            RankingLoss.Value out = RankingLoss.of(rewards, List.of(Fixtures.ranked(0, 1), Fixtures.ranked(0, 1, 1)));
            double promptA = Fixtures.softplus(2);
            double promptB = (Fixtures.softplus(-3) + Fixtures.softplus(-1)) / 2;
            assertEquals((promptA + promptB) / 2, out.loss().getFloat(), 1e-6);
            assertEquals(2.0 / 3, out.accuracy().getFloat(), 1e-6);
        }
    }
}
