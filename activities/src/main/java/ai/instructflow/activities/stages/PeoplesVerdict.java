package ai.instructflow.activities.stages;

import ai.instructflow.activities.labeling.Verdict;
import ai.instructflow.trainer.eval.WinRate;
import ai.instructflow.trainer.pipeline.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What held-out people said of a run, un-blinded: the tuned policy's (PPO's or DPO's, as the run's
 * {@code method} says) win rate over SFT (ties half) with its 95% interval over every verdict, the
 * same per judge, the judges' agreement where two judged one prompt, and the mean 1-7 ratings of
 * each policy's answers where they rated.
 */
record PeoplesVerdict(Method method, String group, int prompts, List<Verdict> verdicts, Double agreement) {

    PeoplesVerdict {
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("evaluate: the verdict queue ended before anyone judged; "
                    + "at least one verdict is needed");
        }
    }

    WinRate overall() {
        return winRate(verdicts);
    }

    Map<String, List<Verdict>> byJudge() {
        Map<String, List<Verdict>> out = new TreeMap<>();
        verdicts.forEach(v -> out.computeIfAbsent(v.judge(), j -> new ArrayList<>()).add(v));
        return out;
    }

    /** The report's JSON fields. */
    Map<String, Object> toMap() {
        WinRate overall = overall();
        List<Map<String, Object>> perJudge = new ArrayList<>();
        byJudge().forEach((judge, theirs) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("judge", judge);
            row.put("verdicts", theirs.size());
            row.put("win_rate", winRate(theirs).rate());
            perJudge.add(row);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verdict", "human");
        out.put("judges", perJudge.size());
        out.put("held_out_prompts", prompts);
        out.put("verdicts", verdicts.size());
        out.put("ties", verdicts.stream().filter(v -> v.winner() == Verdict.Winner.TIE).count());
        out.put("win_rate", overall.rate());
        out.put("win_rate_ci_low", overall.ciLow());
        out.put("win_rate_ci_high", overall.ciHigh());
        out.put("judge_agreement", agreement);
        out.put("per_judge", perJudge);
        out.put("ppo_mean_rating", meanRating(Verdict::ppoRating));
        out.put("sft_mean_rating", meanRating(Verdict::sftRating));
        return out;
    }

    String toText() {
        Map<String, List<Verdict>> byJudge = byJudge();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s over SFT, judged by %d people of group '%s' on %d held-out prompts: %s%n", method.label(),
                byJudge.size(), group, prompts, overall()));
        byJudge.forEach((judge, theirs) -> text.append(String.format(Locale.ROOT, "  %s: %.1f%% of %d%n", judge,
                100 * winRate(theirs).rate(), theirs.size())));
        return text.toString();
    }

    private static WinRate winRate(List<Verdict> verdicts) {
        return WinRate.of(verdicts.stream().mapToDouble(Verdict::ppoOutcome).toArray());
    }

    /** Mean of the ratings given, null when no judge rated. */
    private Double meanRating(Function<Verdict, Integer> rating) {
        OptionalDouble mean = verdicts.stream().map(rating).filter(Objects::nonNull).mapToInt(Integer::intValue).average();
        return mean.isPresent() ? mean.getAsDouble() : null;
    }
}
