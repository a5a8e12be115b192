package ai.instructflow.trainer.train;

/**
 * A loss that is NaN or infinite: every later step would train on garbage, so the loop stops at
 * once and says where. Not retryable as is: the settings (usually the learning rate) must change.
 */
public final class DivergenceException extends IllegalStateException {

    public DivergenceException(String message) {
        super(message);
    }

    public static void check(String stage, long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(stage + " diverged: loss is " + loss + " at step " + step
                    + "; lower the learning rate or resume from an earlier checkpoint");
        }
    }
}
