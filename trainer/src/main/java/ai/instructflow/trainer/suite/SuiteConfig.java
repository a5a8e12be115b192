package ai.instructflow.trainer.suite;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Task mixture and vocabulary sizes of a {@link TaskSuite}. Weights are relative, need not sum to 1. */
public record SuiteConfig(Map<Task, Double> weights, int trainWords, int heldOutWords) {

    public SuiteConfig {
        weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        if (weights.values().stream().anyMatch(w -> w < 0) || weights.values().stream().mapToDouble(w -> w).sum() <= 0) {
            throw new IllegalArgumentException("task weights must be non-negative with a positive sum: " + weights);
        }
        if (trainWords < 3 || heldOutWords < 3) {
            throw new IllegalArgumentException("each split needs at least 3 words (SORT takes three distinct ones)");
        }
    }

    /**
     * A tiny model learns copy tasks (reverse, upper, and above all the three-word sort) slowly, so they get
     * less weight and the short-answer and safety tasks, where the gap between demonstrators and labelers
     * shows up quickly, get more.
     */
    public static SuiteConfig defaults() {
        Map<Task, Double> w = new EnumMap<>(Task.class);
        w.put(Task.REVERSE, 1.0);
        w.put(Task.UPPER, 1.0);
        w.put(Task.SORT, 0.5);
        w.put(Task.COUNT, 1.5);
        w.put(Task.LENGTH, 1.5);
        w.put(Task.FIRST, 1.5);
        w.put(Task.HARMLESS, 1.5);
        w.put(Task.HONEST, 1.0);
        return new SuiteConfig(w, 3000, 600);
    }
}
