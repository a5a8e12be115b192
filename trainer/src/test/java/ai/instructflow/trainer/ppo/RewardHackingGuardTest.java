package ai.instructflow.trainer.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.train.Checkpoint;
import ai.instructflow.trainer.train.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RewardHackingGuardTest {

    private static final RewardHackingGuardConfig GUARD = RewardHackingGuardConfig.defaults();
    /** A parameter each fake iteration stamps with its number, so the handed-on weights say whose they are. */
    private static final String STAMP = "lnf.b";

    /** One iteration's rollout metrics; NaN held-out for a run without a judge. */
    private static Map<String, Double> rollout(double reward, double heldout, double kl) {
        Map<String, Double> m = new HashMap<>(Map.of("reward", reward, "kl", kl));
        if (!Double.isNaN(heldout)) {
            m.put("heldout_score", heldout);
        }
        return m;
    }

    private static void stamp(GPT policy, long iteration) {
        long[] shape = policy.parameters().get(STAMP).getShape().getShape();
        policy.put(STAMP, policy.manager().full(new Shape(shape), (float) iteration));
    }

    private static float stampOf(GPT policy) {
        return policy.parameters().get(STAMP).toFloatArray()[0];
    }

    /** Feeds iterations from..to of a series to the guard, stamping the policy first; the first stop, if any. */
    private static Optional<EarlyStop> feed(RewardHackingGuard guard, GPT policy, Series series, int from, int to) {
        for (int it = from; it <= to; it++) {
            stamp(policy, it);
            Optional<EarlyStop> stop = guard.observe(it, rollout(series.reward(it), series.heldout(it), series.kl(it)), policy);
            if (stop.isPresent()) {
                return stop;
            }
        }
        return Optional.empty();
    }

    private interface Series {
        double reward(int it);

        double heldout(int it);

        double kl(int it);
    }

    /** The demo's shape: the held-out score rises, then stays flat with batch noise that moves the reward with it. */
    private static final Series HEALTHY = new Series() {
        public double reward(int it) {
            return Math.min(1.2, 0.2 * it) + noise(it);
        }

        public double heldout(int it) {
            return Math.min(0.7, 0.45 + 0.04 * it) + noise(it) / 10;
        }

        public double kl(int it) {
            return Math.min(1.6, 0.05 * it);
        }
    };

    /** The drills' shape: the reward model saturates, the held-out score peaks at iteration 10 and falls. */
    private static final Series HACKED = new Series() {
        public double reward(int it) {
            return Math.min(1.3, 0.3 * it) + noise(it);
        }

        public double heldout(int it) {
            return (it <= 10 ? 0.45 + 0.02 * it : 0.65 - 0.03 * (it - 10)) + noise(it) / 10;
        }

        public double kl(int it) {
            return Math.min(2.5, 0.1 * it);
        }
    };

    private static double noise(int it) {
        return 0.3 * Math.sin(it * 2.7);
    }

    private static GPT model() {
        return GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM);
    }

    @Test
    void aHealthyRunIsNeverStopped() {
        try (GPT policy = model(); RewardHackingGuard guard = new RewardHackingGuard(GUARD)) {
            assertTrue(feed(guard, policy, HEALTHY, 1, 50).isEmpty());
        }
    }

    @Test
    void heldOutFallingWhileTheRewardHoldsStopsPpoAndHandsOnTheBestWindowsPolicy() {
        try (GPT policy = model(); RewardHackingGuard guard = new RewardHackingGuard(GUARD)) {
            EarlyStop stop = feed(guard, policy, HACKED, 1, 50).orElseThrow();
            assertEquals(EarlyStop.Reason.REWARD_HACKING, stop.reason());
            assertTrue(stop.heldoutScore() < stop.bestHeldoutScore() - GUARD.drop(), stop.toString());
            // the best trailing window of eight ends a few iterations after the peak at 10
            assertTrue(stop.handedOnIteration() > 10 && stop.handedOnIteration() < 16, stop.toString());
            assertEquals(stop.iteration(), stampOf(policy), "the policy is still the stopping one");
            guard.handOnBest(policy);
            assertEquals(stop.handedOnIteration(), stampOf(policy), "the handed-on weights are the best window's");
        }
    }

    @Test
    void klOverBudgetStopsPpoAndNeverHandsOnAPolicyPastTheBudget() {
        Series drifting = new Series() {
            public double reward(int it) {
                return 0.1 * it;
            }

            public double heldout(int it) {
                return Double.NaN;
            }

            public double kl(int it) {
                return 0.5 * it;
            }
        };
        try (GPT policy = model(); RewardHackingGuard guard = new RewardHackingGuard(GUARD)) {
            EarlyStop stop = feed(guard, policy, drifting, 1, 50).orElseThrow();
            assertEquals(EarlyStop.Reason.KL_BUDGET, stop.reason());
            assertTrue(stop.kl() > GUARD.klBudget());
            assertNull(stop.bestHeldoutScore(), "no judge, no held-out score");
            // without a judge the newest policy within the budget: iteration 6 sampled at 3 nats
            assertEquals(6, stop.handedOnIteration());
            guard.handOnBest(policy);
            assertEquals(6f, stampOf(policy));
        }
    }

    @Test
    void offItOnlyReports() {
        try (GPT policy = model(); RewardHackingGuard guard = new RewardHackingGuard(GUARD.withEnabled(false))) {
            double longest = 0;
            for (int it = 1; it <= 50; it++) {
                Map<String, Double> m = rollout(HACKED.reward(it), HACKED.heldout(it), HACKED.kl(it));
                assertTrue(guard.observe(it, m, policy).isEmpty());
                longest = Math.max(longest, m.get("hacking_streak"));
            }
            assertTrue(longest >= GUARD.patience(), "the streak the alert watches still counts: " + longest);
        }
    }

    @Test
    void aRestoredGuardDecidesAsTheUninterruptedOne() throws Exception {
        EarlyStop straight;
        try (GPT policy = model(); RewardHackingGuard guard = new RewardHackingGuard(GUARD)) {
            straight = feed(guard, policy, HACKED, 1, 50).orElseThrow();
        }
        try (GPT policy = model(); RewardHackingGuard first = new RewardHackingGuard(GUARD);
             RewardHackingGuard second = new RewardHackingGuard(GUARD)) {
            int at = (int) straight.handedOnIteration() + 1;
            assertTrue(feed(first, policy, HACKED, 1, at).isEmpty());
            Checkpoint saved = new Checkpoint();
            first.save(saved);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            saved.write(bytes);
            second.restore(Checkpoint.read(new ByteArrayInputStream(bytes.toByteArray())), policy);
            EarlyStop resumed = feed(second, policy, HACKED, at + 1, 50).orElseThrow();
            assertEquals(straight, resumed);
            second.handOnBest(policy);
            assertEquals(straight.handedOnIteration(), stampOf(policy), "the kept policy came back with the checkpoint");
        }
    }
}
