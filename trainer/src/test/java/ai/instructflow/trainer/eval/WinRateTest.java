package ai.instructflow.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WinRateTest {

    @Test
    void meanAndNormalIntervalByHand() {
        // mean 0.625; squared deviations 0.140625 + 0.140625 + 0.390625 + 0.015625 = 0.6875; variance 0.6875 / 3;
        // standard error sqrt(0.229167 / 4) = 0.239357; half width 1.959964 * 0.239357 = 0.469131.
        WinRate w = WinRate.of(new double[] {1, 1, 0, 0.5});
        assertEquals(0.625, w.rate(), 1e-12);
        assertEquals(0.625 - 0.469131, w.ciLow(), 1e-6);
        assertEquals(1.0, w.ciHigh(), 1e-12, "0.625 + 0.469 is clipped to 1");
        assertEquals(4, w.n());
    }

    @Test
    void allTiesHaveNoWidth() {
        WinRate w = WinRate.of(new double[] {0.5, 0.5, 0.5});
        assertEquals(0.5, w.rate());
        assertEquals(0.5, w.ciLow());
        assertEquals(0.5, w.ciHigh());
    }

    @Test
    void symmetricIntervalInsideTheUnitRange() {
        // 50 wins, 50 losses: sd = sqrt(25 / 99), half width 1.959964 * sqrt(25 / 99 / 100).
        double[] outcomes = new double[100];
        for (int i = 0; i < 50; i++) {
            outcomes[i] = 1;
        }
        WinRate w = WinRate.of(outcomes);
        double half = 1.959964 * Math.sqrt(25.0 / 99 / 100);
        assertEquals(0.5 - half, w.ciLow(), 1e-9);
        assertEquals(0.5 + half, w.ciHigh(), 1e-9);
    }
}
