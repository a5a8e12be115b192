package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelerPoolTest {

    /** Pairs like those the comparison stage shows labelers: two samples of an uneven demonstrator. */
    private static List<ResponsePair> demonstratedPairs(int n, long seed) {
        TaskSuite suite = new TaskSuite(SuiteConfig.defaults(), seed);
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(DemonstratorConfig.defaults());
        Random rng = new Random(seed);
        List<ResponsePair> pairs = new ArrayList<>();
        for (SuitePrompt p : suite.sample(Split.TRAIN, n, rng)) {
            pairs.add(new ResponsePair(p, demonstrator.demonstrate(p, rng), demonstrator.demonstrate(p, rng)));
        }
        return pairs;
    }

    @Test
    void calibratedTemperatureGivesTheTargetAgreementEmpirically() {
        List<ResponsePair> pairs = demonstratedPairs(6000, 1);
        double temperature = LabelerPool.calibrate(pairs, LabelerPool.TARGET_AGREEMENT);
        LabelerPool pool = LabelerPool.training(8, temperature, 1);
        double agreement = pool.measureAgreement(pairs, new Random(2));
        assertEquals(LabelerPool.TARGET_AGREEMENT, agreement, 0.02, "temperature " + temperature);
    }

    @Test
    void solvedTemperatureMatchesTheClosedFormForOneGap() {
        // One gap d: agreement p^2 + (1-p)^2 = 0.73 gives p = (1 + sqrt(1 - 2 * 0.27)) / 2, so T = d / logit(p).
        double p = (1 + Math.sqrt(1 - 2 * 0.27)) / 2;
        double expected = 0.5 / Math.log(p / (1 - p));
        double solved = LabelerPool.solveTemperature(List.of(new double[] {1.0, 0.5}, new double[] {0.2, 0.7}), 0.73);
        assertEquals(expected, solved, 1e-6);
    }

    @Test
    void unreachableTargetsClampToTheSearchRange() {
        List<double[]> mostlyTies = List.of(new double[] {1, 1}, new double[] {1, 1}, new double[] {1, 0});
        double sharpest = LabelerPool.solveTemperature(mostlyTies, 0.9);
        assertTrue(sharpest <= 1e-3, "max agreement is 2/3 here, so the smallest temperature: " + sharpest);
        assertTrue(LabelerPool.solveTemperature(mostlyTies, 0.4) >= 1e3);
    }

    @Test
    void heldOutLabelersHaveOtherTastesThanTrainingLabelers() {
        LabelerPool training = LabelerPool.training(4, 0.2, 7);
        LabelerPool heldOut = LabelerPool.heldOut(4, 0.2, 7);
        assertEquals(4, heldOut.labelers().size());
        assertNotEquals(training.labelers().get(0).rubric(), heldOut.labelers().get(0).rubric());
        assertNotEquals(training.labelers().get(0).rubric(), training.labelers().get(1).rubric());
        assertEquals(training.labelers(), LabelerPool.training(4, 0.2, 7).labelers(), "same seed, same labelers");
    }
}
