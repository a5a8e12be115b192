package ai.instructflow.trainer.model;

import java.util.List;

/**
 * Sequences of different lengths packed into one rectangle. Rows may be padded on the left (prompts
 * about to be continued, so every row's next token lands in the same column) and on the right
 * (training targets). Left padding is masked out of attention and does not shift positions; right
 * padding needs no mask because causal attention never looks forward — callers mask it in the loss.
 */
public record TokenBatch(int[][] tokens, int[] leftPad) {

    public int size() {
        return tokens.length;
    }

    public int length() {
        return tokens.length == 0 ? 0 : tokens[0].length;
    }

    /** Left-pads every sequence to the longest one. */
    public static TokenBatch leftPadded(List<int[]> sequences, int pad) {
        int len = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[][] rows = new int[sequences.size()][len];
        int[] leftPad = new int[sequences.size()];
        for (int b = 0; b < rows.length; b++) {
            int[] s = sequences.get(b);
            leftPad[b] = len - s.length;
            java.util.Arrays.fill(rows[b], 0, leftPad[b], pad);
            System.arraycopy(s, 0, rows[b], leftPad[b], s.length);
        }
        return new TokenBatch(rows, leftPad);
    }

    /** Right-pads every sequence to {@code len} (the longest one if len is 0). */
    public static TokenBatch rightPadded(List<int[]> sequences, int pad, int len) {
        int width = len > 0 ? len : sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[][] rows = new int[sequences.size()][width];
        for (int b = 0; b < rows.length; b++) {
            int[] s = sequences.get(b);
            int n = Math.min(s.length, width);
            System.arraycopy(s, 0, rows[b], 0, n);
            java.util.Arrays.fill(rows[b], n, width, pad);
        }
        return new TokenBatch(rows, new int[rows.length]);
    }

    /** The last column, one token per row: the input of the next decode step. */
    public static TokenBatch column(int[] next) {
        int[][] rows = new int[next.length][1];
        for (int b = 0; b < next.length; b++) {
            rows[b][0] = next[b];
        }
        return new TokenBatch(rows, new int[next.length]);
    }

    public long[] flat() {
        int t = length();
        long[] out = new long[size() * t];
        for (int b = 0; b < size(); b++) {
            for (int i = 0; i < t; i++) {
                out[b * t + i] = tokens[b][i];
            }
        }
        return out;
    }
}
