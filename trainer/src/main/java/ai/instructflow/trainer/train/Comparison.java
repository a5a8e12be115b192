package ai.instructflow.trainer.train;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt, K responses and their ranks from one labeler (0 = best; equal ranks are ties and make
 * no pair). InstructGPT collects K = 4..9 and trains on all C(K,2) pairs of a prompt together.
 */
public record Comparison(int[] prompt, List<int[]> responses, int[] ranks) {

    public Comparison {
        if (responses.size() != ranks.length || responses.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least 2 responses, each with a rank");
        }
    }

    /** Every (winner, loser) pair of response indices with different ranks. */
    public List<int[]> pairs() {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            for (int j = i + 1; j < ranks.length; j++) {
                if (ranks[i] < ranks[j]) {
                    out.add(new int[] {i, j});
                } else if (ranks[j] < ranks[i]) {
                    out.add(new int[] {j, i});
                }
            }
        }
        return out;
    }
}
