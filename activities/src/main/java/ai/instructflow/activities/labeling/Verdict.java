package ai.instructflow.activities.labeling;

/**
 * One judge's verdict on one held-out prompt, un-blinded: which policy's answer they preferred and
 * the 1-7 ratings they gave each (null where they gave none).
 */
public record Verdict(int task, String prompt, String judge, Winner winner, Integer ppoRating, Integer sftRating) {

    public enum Winner { PPO, SFT, TIE }

    /** PPO's outcome as a win rate counts it: 1 for a win, 0.5 for a tie. */
    public double ppoOutcome() {
        return switch (winner) {
            case PPO -> 1;
            case TIE -> 0.5;
            case SFT -> 0;
        };
    }
}
