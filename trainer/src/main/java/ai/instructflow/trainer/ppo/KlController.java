package ai.instructflow.trainer.ppo;

/**
 * The coefficient beta of the per-token KL penalty. Fixed by default (InstructGPT uses 0.02); the
 * adaptive option follows Ziegler et al. 2019 (section 2.2): nudge beta so the observed KL tracks a
 * target, by at most 20% per horizon.
 */
public final class KlController {

    private final boolean adaptive;
    private final double target;
    private final double horizon;
    private double beta;

    public KlController(double beta, boolean adaptive, double target, double horizon) {
        this.beta = beta;
        this.adaptive = adaptive;
        this.target = target;
        this.horizon = horizon;
    }

    public double beta() {
        return beta;
    }

    public void restore(double value) {
        beta = value;
    }

    /** After an iteration that saw {@code kl} nats per sequence over {@code samples} rollouts. */
    public void update(double kl, int samples) {
        if (adaptive) {
            double error = Math.max(-0.2, Math.min(0.2, kl / target - 1));
            beta *= 1 + error * samples / horizon;
        }
    }
}
