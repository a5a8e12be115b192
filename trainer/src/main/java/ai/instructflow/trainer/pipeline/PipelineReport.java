package ai.instructflow.trainer.pipeline;

import ai.instructflow.trainer.eval.TaskReport;
import ai.instructflow.trainer.eval.WinRate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run found: the numbers the InstructGPT paper would report for it. The tuned policy is PPO's
 * or DPO's ({@code method}); its keys carry the method's name ({@code ppo_accuracy}, {@code dpo}, ...).
 *
 * @param policy        the tuned policy's per-task report
 * @param rmAccuracy    held-out pairwise accuracy of the reward model, or of DPO's implicit reward
 * @param ceiling       the most any policy can expect to win over SFT from these judges on these prompts
 *                      ({@link ai.instructflow.trainer.eval.Evaluator.Comparison#ceiling})
 * @param policyHistory the tuned policy's training metrics: PPO's per iteration, DPO's per step
 * @param klToSft       the tuned policy's KL to SFT on its held-out answers ({@link Recipe#klToSft}), nats
 */
public record PipelineReport(PipelineConfig config, TaskReport sft, TaskReport policy, double rmAccuracy,
                             double labelerAgreement, WinRate winRate, WinRate ceiling,
                             List<Map<String, Double>> policyHistory, double seconds, Method method, double klToSft) {

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sft_accuracy", sft.exactAccuracy());
        out.put("method", method.id());
        out.put(method.id() + "_accuracy", policy.exactAccuracy());
        out.put("rm_accuracy", rmAccuracy);
        out.put("labeler_agreement", labelerAgreement);
        out.put("win_rate", winRate.rate());
        out.put("win_rate_ci_low", winRate.ciLow());
        out.put("win_rate_ci_high", winRate.ciHigh());
        out.put("win_rate_n", winRate.n());
        out.put("win_rate_ceiling", ceiling.rate());
        out.put("win_rate_ceiling_ci_low", ceiling.ciLow());
        out.put("win_rate_ceiling_ci_high", ceiling.ciHigh());
        out.put("kl_to_sft", klToSft);
        out.put("seconds", seconds);
        out.put("preset", config.preset());
        out.put("demonstrators", config.demonstrators().describe());
        out.put("sft", sft.toMap());
        out.put(method.id(), policy.toMap());
        out.put(method == Method.PPO ? "ppo_iterations" : "dpo_steps", policyHistory);
        return out;
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n== InstructFlow report (%s preset, %.0f s) ==%n", config.preset(), seconds));
        s.append(config.demonstrators().describe()).append('\n');
        s.append(String.format(Locale.ROOT, "%s held-out accuracy %.1f%%   labeler agreement %.1f%%%n",
                method == Method.PPO ? "reward model" : "DPO implicit reward", 100 * rmAccuracy, 100 * labelerAgreement));
        s.append(String.format(Locale.ROOT, "%s win rate over SFT (held-out labelers, held-out prompts): %.1f%% "
                + "[95%% CI %.1f%% .. %.1f%%], n=%d%n", method.label(), 100 * winRate.rate(), 100 * winRate.ciLow(),
                100 * winRate.ciHigh(), winRate.n()));
        s.append(String.format(Locale.ROOT, "  the most any policy can expect over this SFT from these judges (the suite's own "
                + "answers): %.1f%% [%.1f%% .. %.1f%%]%n", 100 * ceiling.rate(), 100 * ceiling.ciLow(), 100 * ceiling.ciHigh()));
        s.append(String.format(Locale.ROOT, "%s KL to SFT on its held-out answers: %.3f nats per answer%n",
                method.label(), klToSft));
        s.append("\nSFT policy\n").append(sft.toTable());
        s.append("\n").append(method.label()).append(" policy\n").append(policy.toTable());
        return s.toString();
    }
}
