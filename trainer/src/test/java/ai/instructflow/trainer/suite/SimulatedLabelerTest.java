package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedLabelerTest {

    private final SimulatedLabeler labeler = new SimulatedLabeler("t", Rubric.defaults(), 0.25);
    private final SuitePrompt reverse = SuitePrompt.parse("reverse: hello").orElseThrow();

    @Test
    void comparisonsFollowBradleyTerry() {
        Random rng = new Random(1);
        int n = 20000;
        int preferA = 0;
        for (int i = 0; i < n; i++) {
            preferA += 1 - labeler.compare(reverse, "olleh", "ollah", rng);
        }
        double expected = SimulatedLabeler.sigmoid((1.0 - Rubric.defaults().near()) / 0.25);
        assertEquals(expected, (double) preferA / n, 0.01);
    }

    @Test
    void identicalResponsesAreACoinFlip() {
        Random rng = new Random(2);
        int n = 20000;
        int preferA = 0;
        for (int i = 0; i < n; i++) {
            preferA += 1 - labeler.compare(reverse, "olleh", "olleh", rng);
        }
        assertEquals(0.5, (double) preferA / n, 0.015);
    }

    @Test
    void rankingsImplyTheSamePairwisePreferencesAsComparisons() {
        Random rng = new Random(3);
        List<String> outputs = List.of("world", "olleh", "ollah", "Here you go: olleh");
        int n = 20000;
        int exactAboveNear = 0;
        for (int i = 0; i < n; i++) {
            List<Integer> order = Arrays.stream(labeler.rank(reverse, outputs, rng)).boxed().toList();
            if (order.indexOf(1) < order.indexOf(2)) {
                exactAboveNear++;
            }
        }
        double expected = SimulatedLabeler.sigmoid((1.0 - Rubric.defaults().near()) / 0.25);
        assertEquals(expected, (double) exactAboveNear / n, 0.01);
    }

    @Test
    void nearlyNoiselessLabelerRanksByScore() {
        SimulatedLabeler strict = new SimulatedLabeler("strict", Rubric.defaults(), 1e-3);
        List<String> outputs = List.of("world", "olleh", "ollah", "Here you go: olleh", Task.REFUSAL);
        assertArrayEquals(new int[] {1, 3, 2, 0, 4}, strict.rank(reverse, outputs, new Random(4)));
    }
}
