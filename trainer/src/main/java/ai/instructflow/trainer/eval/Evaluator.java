package ai.instructflow.trainer.eval;

import ai.instructflow.trainer.suite.LabelerPool;
import ai.instructflow.trainer.suite.Rubric;
import ai.instructflow.trainer.suite.SimulatedLabeler;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.suite.Task;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/** Measures policies on a fixed list of held-out prompts, judged by the held-out labeler group. */
public final class Evaluator {

    private final List<SuitePrompt> prompts;
    private final List<String> promptTexts;
    private final LabelerPool labelers;
    private final long seed;

    public Evaluator(List<SuitePrompt> prompts, LabelerPool heldOutLabelers, long seed) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to evaluate on");
        }
        this.prompts = List.copyOf(prompts);
        this.promptTexts = prompts.stream().map(SuitePrompt::prompt).toList();
        this.labelers = heldOutLabelers;
        this.seed = seed;
    }

    /**
     * How often the labelers prefer {@code a} over {@code b}. Every labeler judges every pair once; a prompt's outcome
     * is its labelers' mean, so the interval counts prompts, not the correlated judgments on one prompt.
     */
    public WinRate winRate(Policy a, Policy b) {
        return winRate(completeAll(a), completeAll(b));
    }

    /**
     * {@code a} against {@code b} and both task reports, from one batch of completions per policy.
     * {@code ceiling} is what the suite's own answers win against {@code b}, judged the same way: no
     * rubric term scores above an exact answer, so no policy can expect more against {@code b} from
     * these judges. The judges' noise keeps it well below 100%, and the stronger {@code b} is, the
     * lower it lies.
     */
    public record Comparison(WinRate winRate, WinRate ceiling, TaskReport a, TaskReport b) {}

    public Comparison compare(Policy a, Policy b) {
        return compare(completeAll(a), completeAll(b));
    }

    /** The same from answers already given, one per prompt in order. */
    public Comparison compare(List<String> responsesA, List<String> responsesB) {
        if (responsesA.size() != prompts.size() || responsesB.size() != prompts.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts, " + responsesA.size() + " and "
                    + responsesB.size() + " answers");
        }
        List<String> canonical = prompts.stream().map(SuitePrompt::answer).toList();
        return new Comparison(winRate(responsesA, responsesB), winRate(canonical, responsesB), report(responsesA),
                report(responsesB));
    }

    private WinRate winRate(List<String> responsesA, List<String> responsesB) {
        // A fresh generator per call: the same two policies always get the same verdict.
        Random rng = new Random(seed);
        double[] outcomes = new double[prompts.size()];
        for (int i = 0; i < outcomes.length; i++) {
            String ra = responsesA.get(i);
            String rb = responsesB.get(i);
            double wins = 0;
            for (SimulatedLabeler labeler : labelers.labelers()) {
                wins += ra.equals(rb) ? 0.5 : 1 - labeler.compare(prompts.get(i), ra, rb, rng);
            }
            outcomes[i] = wins / labelers.labelers().size();
        }
        return WinRate.of(outcomes);
    }

    public TaskReport report(Policy policy) {
        return report(completeAll(policy));
    }

    private TaskReport report(List<String> responses) {
        double[] scores = IntStream.range(0, prompts.size()).mapToDouble(i -> meanScore(prompts.get(i), responses.get(i))).toArray();
        IntPredicate all = i -> true;
        IntPredicate safe = i -> prompts.get(i).task().isSafe();
        IntPredicate exact = i -> Rubric.isExact(prompts.get(i), responses.get(i));
        IntPredicate refusal = i -> Rubric.isRefusal(responses.get(i));
        Map<Task, TaskReport.TaskScore> byTask = new EnumMap<>(Task.class);
        for (Task task : Task.values()) {
            IntPredicate ofTask = i -> prompts.get(i).task() == task;
            int n = count(ofTask);
            if (n > 0) {
                byTask.put(task, new TaskReport.TaskScore(n, fraction(ofTask, exact), mean(scores, ofTask)));
            }
        }
        return new TaskReport(
                byTask,
                fraction(all, exact),
                fraction(safe.negate(), refusal),
                fraction(safe, refusal),
                fraction(all, i -> Rubric.hasChatter(prompts.get(i), responses.get(i))),
                mean(scores, all),
                prompts.size());
    }

    private int count(IntPredicate among) {
        return (int) IntStream.range(0, prompts.size()).filter(among).count();
    }

    /** Share of the prompts selected by {@code among} for which {@code holds}; 0 when none are selected. */
    private double fraction(IntPredicate among, IntPredicate holds) {
        int n = count(among);
        return n == 0 ? 0 : (double) count(among.and(holds)) / n;
    }

    private double mean(double[] values, IntPredicate among) {
        return IntStream.range(0, values.length).filter(among).mapToDouble(i -> values[i]).average().orElse(0);
    }

    private List<String> completeAll(Policy policy) {
        List<String> responses = policy.complete(promptTexts);
        if (responses.size() != promptTexts.size()) {
            throw new IllegalStateException("policy returned " + responses.size() + " completions for " + promptTexts.size() + " prompts");
        }
        return responses;
    }

    private double meanScore(SuitePrompt p, String response) {
        return labelers.labelers().stream().mapToDouble(l -> l.score(p, response)).average().orElseThrow();
    }
}
