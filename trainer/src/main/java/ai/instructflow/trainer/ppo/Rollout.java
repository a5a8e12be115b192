package ai.instructflow.trainer.ppo;

import ai.instructflow.trainer.model.TokenBatch;
import java.util.List;

/**
 * One batch of sampled responses and everything PPO derives from them before updating. Rows are
 * the left-padded prompt followed by the right-padded response, so every response starts in column
 * {@code promptLength}; per-token arrays are [rows x responseLength], flattened, and zero past a
 * response's end ({@code mask}).
 */
final class Rollout {

    final List<int[]> prompts;
    final List<int[]> responses;
    final int[][] rows;
    final int[] leftPad;
    final int promptLength;
    final int responseLength;
    final float[] mask;
    final long[] targets;
    float[] oldLogProbs;
    float[] refLogProbs;
    float[] values;
    float[] scores;
    float[] advantages;
    float[] returns;

    Rollout(List<int[]> prompts, List<int[]> responses, int pad) {
        this.prompts = prompts;
        this.responses = responses;
        TokenBatch left = TokenBatch.leftPadded(prompts, pad);
        promptLength = left.length();
        responseLength = responses.stream().mapToInt(r -> r.length).max().orElse(1);
        leftPad = left.leftPad();
        int b = prompts.size();
        rows = new int[b][promptLength + responseLength - 1];
        mask = new float[b * responseLength];
        targets = new long[b * responseLength];
        for (int r = 0; r < b; r++) {
            int[] response = responses.get(r);
            int[] full = new int[promptLength + responseLength];
            System.arraycopy(left.tokens()[r], 0, full, 0, promptLength);
            java.util.Arrays.fill(full, promptLength, full.length, pad);
            System.arraycopy(response, 0, full, promptLength, response.length);
            System.arraycopy(full, 0, rows[r], 0, rows[r].length);
            for (int t = 0; t < responseLength; t++) {
                targets[r * responseLength + t] = full[promptLength + t];
                mask[r * responseLength + t] = t < response.length ? 1f : 0f;
            }
        }
    }

    int size() {
        return rows.length;
    }

    /** The model input for some rows: the sequences without their last token. */
    TokenBatch input(int[] which) {
        int[][] sub = new int[which.length][];
        int[] pad = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            sub[i] = rows[which[i]];
            pad[i] = leftPad[which[i]];
        }
        return new TokenBatch(sub, pad);
    }

    /** Gathers the per-token values of some rows, [which.length x responseLength]. */
    float[] slice(float[] perToken, int[] which) {
        float[] out = new float[which.length * responseLength];
        for (int i = 0; i < which.length; i++) {
            System.arraycopy(perToken, which[i] * responseLength, out, i * responseLength, responseLength);
        }
        return out;
    }

    long[] sliceTargets(int[] which) {
        long[] out = new long[which.length * responseLength];
        for (int i = 0; i < which.length; i++) {
            System.arraycopy(targets, which[i] * responseLength, out, i * responseLength, responseLength);
        }
        return out;
    }
}
