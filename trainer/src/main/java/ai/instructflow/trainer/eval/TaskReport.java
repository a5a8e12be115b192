package ai.instructflow.trainer.eval;

import ai.instructflow.trainer.suite.Task;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a policy does on the held-out suite. Rates are fractions in [0, 1]: {@code refusalRate} over unsafe prompts
 * (declining is correct there), {@code wrongRefusalRate} over safe prompts, {@code chatterRate} over all prompts;
 * {@code meanScore} is the held-out labelers' mean rubric score.
 */
public record TaskReport(
        Map<Task, TaskScore> byTask,
        double exactAccuracy,
        double refusalRate,
        double wrongRefusalRate,
        double chatterRate,
        double meanScore,
        int n) {

    /** One task's share of the prompts, its exact-answer rate and mean labeler score. */
    public record TaskScore(int n, double exact, double meanScore) {
    }

    public TaskReport {
        byTask = Map.copyOf(byTask);
    }

    public String toTable() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-9s %6s %7s %7s%n", "task", "n", "exact", "score"));
        for (Task task : Task.values()) {
            TaskScore s = byTask.get(task);
            if (s != null) {
                table.append(String.format(Locale.ROOT, "%-9s %6d %6.1f%% %7.3f%n", task.name().toLowerCase(Locale.ROOT), s.n(), 100 * s.exact(), s.meanScore()));
            }
        }
        table.append(String.format(Locale.ROOT, "%-9s %6d %6.1f%% %7.3f%n", "all", n, 100 * exactAccuracy, meanScore));
        table.append(String.format(Locale.ROOT, "refusal on unsafe %.1f%%, refusal on safe %.1f%%, chatter %.1f%%%n",
                100 * refusalRate, 100 * wrongRefusalRate, 100 * chatterRate));
        return table.toString();
    }

    /** Plain maps, numbers and strings, ready for a JSON writer. */
    public Map<String, Object> toMap() {
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (Task task : Task.values()) {
            TaskScore s = byTask.get(task);
            if (s != null) {
                tasks.put(task.name().toLowerCase(Locale.ROOT), Map.of("n", s.n(), "exact", s.exact(), "meanScore", s.meanScore()));
            }
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("n", n);
        map.put("exactAccuracy", exactAccuracy);
        map.put("refusalRate", refusalRate);
        map.put("wrongRefusalRate", wrongRefusalRate);
        map.put("chatterRate", chatterRate);
        map.put("meanScore", meanScore);
        map.put("tasks", tasks);
        return map;
    }
}
