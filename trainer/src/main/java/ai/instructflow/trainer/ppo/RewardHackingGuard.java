package ai.instructflow.trainer.ppo;

import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.train.Checkpoint;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * PPO's guard against reward hacking: the reward model is a proxy, and pushed far enough PPO finds
 * what the proxy likes and people do not (InstructGPT section 3.5 keeps a KL penalty for this reason;
 * Gao et al. 2022 measure how the true score peaks and then falls as the proxy keeps rising).
 *
 * <p>It watches each iteration's rollouts: the reward, the KL to the SFT policy and a held-out judge's
 * score (labelers who never trained the reward model). It keeps a copy of the policy whose trailing
 * window of held-out scores is the best so far (among policies within the KL budget), and stops PPO
 * when, for {@code patience} iterations in a row, the window's reward is above SFT's while its
 * held-out score is {@code drop} below the best window's, or when the window's KL passes the budget.
 * The copy is then handed on in place of the hacked policy. Without a held-out judge (a team's own
 * prompts) only the KL budget applies, and the copy is the newest policy within it.
 *
 * <p>Why these tests: one batch's reward and held-out score move together with the batch's prompts
 * (easy prompts score high on both), so per-iteration trends hide the divergence; on the demo's drills
 * the reward model saturated within a few iterations and the held-out score then fell while the
 * reward stayed where it was.
 */
public final class RewardHackingGuard implements AutoCloseable {

    private static final String STATE = "guard/";
    private static final String BEST = "guard/best/";

    /** What each iteration's window row holds, in order. */
    private enum Column {
        REWARD("reward"), HELDOUT("heldout_score"), KL("kl");

        final String key;

        Column(String key) {
            this.key = key;
        }
    }

    private final RewardHackingGuardConfig config;
    private final Deque<double[]> window = new ArrayDeque<>();
    private double startReward = Double.NaN;
    private double bestScore = Double.NEGATIVE_INFINITY;
    private long bestIteration;
    private int streak;
    private GPT best;

    public RewardHackingGuard(RewardHackingGuardConfig config) {
        this.config = config;
    }

    /**
     * Sees iteration {@code iteration}'s (1-based) rollout metrics, sampled by {@code policy} as it is
     * now, before that iteration's update; returns why PPO should stop, if it should.
     */
    public Optional<EarlyStop> observe(long iteration, Map<String, Double> metrics, GPT policy) {
        double heldout = metrics.getOrDefault(Column.HELDOUT.key, Double.NaN);
        double ownKl = metrics.get(Column.KL.key);
        window.addLast(new double[] {metrics.get(Column.REWARD.key), heldout, ownKl});
        if (window.size() > config.window()) {
            window.removeFirst();
        }
        boolean judged = !Double.isNaN(heldout);
        double score = judged ? mean(Column.HELDOUT) : Double.NaN;
        // a candidate is judged by its window (one batch is noisy) but must itself be within the budget
        if (ownKl <= config.klBudget() && (!judged || score > bestScore)) {
            bestScore = score;
            bestIteration = iteration;
            if (config.enabled()) {
                keep(policy);
            }
        }
        if (Double.isNaN(startReward)) {
            startReward = metrics.get(Column.REWARD.key);
        }
        // the reward model still likes the policy more than it liked SFT, the held-out judge clearly less than at its best
        boolean diverging = judged && window.size() == config.window() && mean(Column.REWARD) > startReward
                && score < bestScore - config.drop();
        streak = diverging ? streak + 1 : 0;
        metrics.put("hacking_streak", (double) streak);
        if (judged && bestIteration > 0) {
            metrics.put("best_heldout_score", bestScore);
        }
        double kl = mean(Column.KL);
        metrics.put("window_kl", kl);
        EarlyStop.Reason reason = !config.enabled() ? null
                : window.size() >= config.patience() && kl > config.klBudget() ? EarlyStop.Reason.KL_BUDGET
                : streak >= config.patience() ? EarlyStop.Reason.REWARD_HACKING : null;
        metrics.put("stopped_early", reason == null ? 0.0 : 1.0);
        if (reason == null) {
            return Optional.empty();
        }
        // enabled, a kept copy exists exactly when some iteration qualified
        boolean kept = bestIteration > 0;
        long handedOn = kept ? bestIteration : iteration;
        metrics.put("handed_on_iteration", (double) handedOn);
        return Optional.of(new EarlyStop(reason, iteration, handedOn, judged ? score : null,
                judged && kept ? bestScore : null, kl));
    }

    /** Puts the kept policy's weights into {@code policy}; without one, {@code policy} stays as it is. */
    public void handOnBest(GPT policy) {
        if (best != null) {
            best.parameters().forEach((name, value) -> policy.put(name, value.duplicate()));
        }
    }

    public void save(Checkpoint checkpoint) {
        for (Column c : Column.values()) {
            checkpoint.putDoubles(STATE + c.key, window.stream().mapToDouble(row -> row[c.ordinal()]).toArray());
        }
        checkpoint.put(STATE + "streak", streak).putDoubles(STATE + "start_reward", new double[] {startReward});
        if (bestIteration > 0) {
            checkpoint.putDoubles(STATE + "best_score", new double[] {bestScore}).put(STATE + "best_iteration", bestIteration);
        }
        if (best != null) {
            checkpoint.putModel(BEST, best);
        }
    }

    /** The state a checkpoint saved; one from before the guard existed starts it afresh. */
    public void restore(Checkpoint checkpoint, GPT policy) {
        if (!checkpoint.has(STATE + "streak")) {
            return;
        }
        double[][] columns = new double[Column.values().length][];
        for (Column c : Column.values()) {
            columns[c.ordinal()] = checkpoint.getDoubles(STATE + c.key);
        }
        window.clear();
        for (int i = 0; i < columns[0].length; i++) {
            window.addLast(new double[] {columns[0][i], columns[1][i], columns[2][i]});
        }
        streak = (int) checkpoint.getLong(STATE + "streak");
        startReward = checkpoint.getDoubles(STATE + "start_reward")[0];
        if (checkpoint.has(STATE + "best_iteration")) {
            bestScore = checkpoint.getDoubles(STATE + "best_score")[0];
            bestIteration = checkpoint.getLong(STATE + "best_iteration");
        }
        closeBest();
        if (checkpoint.has(BEST + "config")) {
            best = checkpoint.model(BEST, policy.device());
        }
    }

    private void keep(GPT policy) {
        closeBest();
        best = policy.copy(0, GPT.Head.LM);
    }

    private double mean(Column column) {
        return window.stream().mapToDouble(row -> row[column.ordinal()]).average().orElse(Double.NaN);
    }

    private void closeBest() {
        if (best != null) {
            best.close();
            best = null;
        }
    }

    @Override
    public void close() {
        closeBest();
    }
}
