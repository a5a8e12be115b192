package ai.instructflow.trainer.eval;

import java.util.Locale;

/** How often one policy is preferred over another, with a 95% normal interval; ties count half. */
public record WinRate(double rate, double ciLow, double ciHigh, int n) {

    private static final double Z95 = 1.959964;

    /** From outcomes of 1 (win), 0.5 (tie) or 0 (loss), or any mean of them; the interval uses the sample deviation. */
    public static WinRate of(double[] outcomes) {
        int n = outcomes.length;
        if (n == 0) {
            throw new IllegalArgumentException("no outcomes");
        }
        double mean = 0;
        for (double o : outcomes) {
            mean += o;
        }
        mean /= n;
        if (n == 1) {
            return new WinRate(mean, 0, 1, 1);
        }
        double squares = 0;
        for (double o : outcomes) {
            squares += (o - mean) * (o - mean);
        }
        double halfWidth = Z95 * Math.sqrt(squares / (n - 1) / n);
        return new WinRate(mean, Math.max(0, mean - halfWidth), Math.min(1, mean + halfWidth), n);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f%% [%.1f%%, %.1f%%] (n=%d)", 100 * rate, 100 * ciLow, 100 * ciHigh, n);
    }
}
