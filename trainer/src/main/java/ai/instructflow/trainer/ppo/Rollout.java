package ai.instructflow.trainer.ppo;

import ai.instructflow.trainer.model.PackedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch of sampled responses and everything PPO derives from them before updating. Per-token
 * arrays are [rows x responseLength], flattened: column t of a row is its response's token t, zero
 * past the response's end ({@code mask}).
 */
final class Rollout {

    final List<int[]> prompts;
    final List<int[]> responses;
    final int pad;
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
        this.pad = pad;
        responseLength = responses.stream().mapToInt(r -> r.length).max().orElse(1);
        int b = prompts.size();
        mask = new float[b * responseLength];
        targets = new long[b * responseLength];
        for (int r = 0; r < b; r++) {
            int[] response = responses.get(r);
            for (int t = 0; t < responseLength; t++) {
                targets[r * responseLength + t] = t < response.length ? response[t] : pad;
                mask[r * responseLength + t] = t < response.length ? 1f : 0f;
            }
        }
    }

    int size() {
        return prompts.size();
    }

    /** The model input for some rows, packed: each prompt followed by its response less the last token. */
    PackedBatch input(int[] which) {
        List<int[]> sequences = new ArrayList<>(which.length);
        for (int w : which) {
            int[] prompt = prompts.get(w);
            int[] response = responses.get(w);
            int[] seq = Arrays.copyOf(prompt, prompt.length + Math.max(0, response.length - 1));
            System.arraycopy(response, 0, seq, prompt.length, seq.length - prompt.length);
            sequences.add(seq);
        }
        return PackedBatch.of(sequences, pad);
    }

    /**
     * [which.length x responseLength]: where in {@code input(which)}'s rows, flattened, lies the hidden
     * state that predicts each response token; past a response's end its last token's (masked anyway).
     */
    long[] responseCells(PackedBatch input, int[] which) {
        long[] cells = new long[which.length * responseLength];
        for (int i = 0; i < which.length; i++) {
            int promptEnd = prompts.get(which[i]).length - 1;
            int last = Math.max(0, responses.get(which[i]).length - 1);
            for (int t = 0; t < responseLength; t++) {
                cells[i * responseLength + t] = input.flatIndex(i, promptEnd + Math.min(t, last));
            }
        }
        return cells;
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
