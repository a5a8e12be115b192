package ai.instructflow.activities.labeling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairwise agreement between labelers who ranked the same task, as the paper reports it (72.6% among
 * its labelers, section 3.4 / appendix B): over every two labelers of a task and every two of its
 * responses that both ranked strictly and that differ in text, the fraction they order the same way.
 */
public final class Agreement {

    /** How many comparisons two labelers both made, and on how many they agreed. */
    public record Measure(long compared, long agreed) {

        /** Null when no task had two labels: agreement was not measured. */
        public Double rate() {
            return compared == 0 ? null : (double) agreed / compared;
        }
    }

    private Agreement() {}

    public static Measure of(List<LabelingTask> tasks, List<Label> labels) {
        Map<Integer, List<Label>> byTask = new LinkedHashMap<>();
        for (Label label : labels) {
            byTask.computeIfAbsent(label.task(), t -> new ArrayList<>()).add(label);
        }
        long compared = 0;
        long agreed = 0;
        for (Map.Entry<Integer, List<Label>> entry : byTask.entrySet()) {
            List<String> responses = tasks.get(entry.getKey()).responses();
            List<Label> ranked = entry.getValue();
            for (int x = 0; x < ranked.size(); x++) {
                for (int y = x + 1; y < ranked.size(); y++) {
                    int[] first = ranked.get(x).ranks();
                    int[] second = ranked.get(y).ranks();
                    for (int a = 0; a < responses.size(); a++) {
                        for (int b = a + 1; b < responses.size(); b++) {
                            if (responses.get(a).equals(responses.get(b)) || first[a] == first[b] || second[a] == second[b]) {
                                continue;
                            }
                            compared++;
                            agreed += (first[a] < first[b]) == (second[a] < second[b]) ? 1 : 0;
                        }
                    }
                }
            }
        }
        return new Measure(compared, agreed);
    }
}
