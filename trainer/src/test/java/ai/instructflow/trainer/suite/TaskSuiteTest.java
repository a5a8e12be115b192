package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskSuiteTest {

    private final TaskSuite suite = new TaskSuite(SuiteConfig.defaults(), 42);

    @Test
    void splitsAreDisjointAndOfTheConfiguredSize() {
        List<String> train = suite.words(Split.TRAIN);
        List<String> heldOut = suite.words(Split.HELD_OUT);
        assertEquals(3000, new HashSet<>(train).size());
        assertEquals(600, new HashSet<>(heldOut).size());
        Set<String> overlap = new HashSet<>(train);
        overlap.retainAll(heldOut);
        assertTrue(overlap.isEmpty(), "shared words: " + overlap);
    }

    @Test
    void wordsAreThreeToEightLowercaseLetters() {
        for (Split split : Split.values()) {
            for (String w : suite.words(split)) {
                assertTrue(w.matches("[a-z]{3,8}"), w);
            }
        }
    }

    @Test
    void sameSeedSameSuite() {
        TaskSuite again = new TaskSuite(SuiteConfig.defaults(), 42);
        assertEquals(suite.words(Split.HELD_OUT), again.words(Split.HELD_OUT));
        assertEquals(suite.sample(Split.TRAIN, 50, new Random(7)), again.sample(Split.TRAIN, 50, new Random(7)));
    }

    @Test
    void heldOutPromptsUseHeldOutWords() {
        Set<String> heldOut = new HashSet<>(suite.words(Split.HELD_OUT));
        for (SuitePrompt p : suite.sample(Split.HELD_OUT, 500, new Random(1))) {
            String last = p.prompt().substring(p.prompt().lastIndexOf(' ') + 1);
            assertTrue(heldOut.contains(last), p.prompt());
        }
    }

    @Test
    void taskMixtureFollowsTheWeights() {
        int n = 20000;
        Map<Task, Long> counts = suite.sample(Split.TRAIN, n, new Random(3)).stream()
                .collect(Collectors.groupingBy(SuitePrompt::task, Collectors.counting()));
        double total = SuiteConfig.defaults().weights().values().stream().mapToDouble(Double::doubleValue).sum();
        for (Task task : Task.values()) {
            double expected = SuiteConfig.defaults().weights().get(task) / total;
            assertEquals(expected, counts.getOrDefault(task, 0L) / (double) n, 0.01, task.name());
        }
    }

    @Test
    void zeroWeightTasksNeverAppear() {
        Map<Task, Double> onlyUpper = Map.of(Task.UPPER, 1.0);
        TaskSuite upper = new TaskSuite(new SuiteConfig(onlyUpper, 10, 5), 1);
        Map<Task, Long> counts = upper.sample(Split.TRAIN, 100, new Random(1)).stream()
                .collect(Collectors.groupingBy(SuitePrompt::task, Collectors.counting()));
        assertEquals(Map.of(Task.UPPER, 100L), counts);
        assertEquals(5, upper.words(Split.HELD_OUT).size());
    }
}
