package ai.instructflow.trainer.train;

/**
 * A loss that is NaN or infinite. The loops skip such a step (and one whose gradient overflowed),
 * as mixed-precision trainers do; when it happens {@link #MAX_CONSECUTIVE_SKIPS} + 1 times in a row
 * the weights themselves have gone bad, so the loop stops and says where. Not retryable as is: the
 * settings (usually the learning rate) must change, or the run resumes from an earlier checkpoint.
 */
public final class DivergenceException extends IllegalStateException {

    public static final int MAX_CONSECUTIVE_SKIPS = 3;

    public DivergenceException(String message) {
        super(message);
    }

    public static void check(String stage, long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(stage + " diverged: loss is " + loss + " at step " + step
                    + "; lower the learning rate or resume from an earlier checkpoint");
        }
    }

    /** Non-finite loss or gradients for more than {@link #MAX_CONSECUTIVE_SKIPS} steps in a row, ending at {@code step}. */
    public static DivergenceException persisting(String stage, long step, double loss, double gradNorm) {
        return new DivergenceException(stage + " diverged: loss " + loss + ", gradient norm " + gradNorm + " at step " + step
                + " and at the " + MAX_CONSECUTIVE_SKIPS + " steps before; lower the learning rate or resume from an earlier checkpoint");
    }
}
