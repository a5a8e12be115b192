package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.eval.TaskReport;
import ai.instructflow.trainer.eval.WinRate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a local run found: the numbers the InstructGPT paper would report for it. */
public record PipelineReport(PipelineConfig config, TaskReport sft, TaskReport ppo, double rmAccuracy,
                             double labelerAgreement, WinRate winRate, List<Map<String, Double>> ppoHistory,
                             double seconds) {

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sft_accuracy", sft.exactAccuracy());
        out.put("ppo_accuracy", ppo.exactAccuracy());
        out.put("rm_accuracy", rmAccuracy);
        out.put("labeler_agreement", labelerAgreement);
        out.put("win_rate", winRate.rate());
        out.put("win_rate_ci_low", winRate.ciLow());
        out.put("win_rate_ci_high", winRate.ciHigh());
        out.put("win_rate_n", winRate.n());
        out.put("seconds", seconds);
        out.put("preset", config.preset());
        out.put("demonstrators", config.demonstrators().describe());
        out.put("sft", sft.toMap());
        out.put("ppo", ppo.toMap());
        out.put("ppo_iterations", ppoHistory);
        return out;
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n== InstructFlow report (%s preset, %.0f s) ==%n", config.preset(), seconds));
        s.append(config.demonstrators().describe()).append('\n');
        s.append(String.format(Locale.ROOT, "reward model held-out accuracy %.1f%%   labeler agreement %.1f%%%n",
                100 * rmAccuracy, 100 * labelerAgreement));
        s.append(String.format(Locale.ROOT, "PPO win rate over SFT (held-out labelers, held-out prompts): %.1f%% "
                + "[95%% CI %.1f%% .. %.1f%%], n=%d%n", 100 * winRate.rate(), 100 * winRate.ciLow(),
                100 * winRate.ciHigh(), winRate.n()));
        s.append("\nSFT policy\n").append(sft.toTable());
        s.append("\nPPO policy\n").append(ppo.toTable());
        return s.toString();
    }
}
