package ai.instructflow.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences laid end to end in rows, each attending only to itself and with positions counted from
 * its own start, so one forward pass computes what a pass per sequence would. Training batches of
 * sequences of very different lengths waste most of a padded rectangle: the demo's demonstrations
 * average 35 tokens while a batch's longest has 76, so a rectangle is more than half padding; packed,
 * a pass costs about what its real tokens do. Causal training and scoring only: decoding continues
 * left-padded rows ({@link TokenBatch}).
 *
 * <p>Sequences go into the first row with room left (first fit, in the order given), so the same
 * sequences always pack the same way and a resumed run computes the same numbers.
 */
public final class PackedBatch {

    private final int[][] tokens;
    private final int[] row;
    private final int[] column;
    private final int[] length;

    private PackedBatch(int[][] tokens, int[] row, int[] column, int[] length) {
        this.tokens = tokens;
        this.row = row;
        this.column = column;
        this.length = length;
    }

    /**
     * Packs {@code sequences} into rows as wide as the longest of them, the rest of a row {@code pad}.
     * Wider rows would hold more sequences each, but attention's cost grows with the square of the
     * width: on the demo's batches, rows of the context (96) took a tenth longer than these.
     */
    public static PackedBatch of(List<int[]> sequences, int pad) {
        int n = sequences.size();
        int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int[] row = new int[n];
        int[] column = new int[n];
        int[] length = new int[n];
        List<Integer> used = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            int len = sequences.get(s).length;
            if (len < 1) {
                throw new IllegalArgumentException("an empty sequence cannot be packed");
            }
            int r = 0;
            while (r < used.size() && used.get(r) + len > width) {
                r++;
            }
            if (r == used.size()) {
                used.add(0);
            }
            row[s] = r;
            column[s] = used.get(r);
            length[s] = len;
            used.set(r, column[s] + len);
        }
        int[][] tokens = new int[used.size()][width];
        for (int[] t : tokens) {
            Arrays.fill(t, pad);
        }
        for (int s = 0; s < n; s++) {
            System.arraycopy(sequences.get(s), 0, tokens[row[s]], column[s], length[s]);
        }
        return new PackedBatch(tokens, row, column, length);
    }

    /** How many sequences. */
    public int size() {
        return row.length;
    }

    public int rows() {
        return tokens.length;
    }

    public int width() {
        return tokens.length == 0 ? 0 : tokens[0].length;
    }

    public int length(int sequence) {
        return length[sequence];
    }

    /** Where token {@code t} of a sequence lies in the rows flattened, row after row. */
    public int flatIndex(int sequence, int t) {
        return row[sequence] * width() + column[sequence] + t;
    }

    long[] flat() {
        return new TokenBatch(tokens, new int[tokens.length]).flat();
    }

    /** Each token's position within its own sequence; the padding after a row's last sequence continues it. */
    long[] positions() {
        long[] pos = new long[rows() * width()];
        for (int r = 0; r < rows(); r++) {
            int[] starts = starts(r);
            for (int i = 0; i < width(); i++) {
                pos[r * width() + i] = i - starts[i];
            }
        }
        return pos;
    }

    /** [rows x width x width]: a query sees the keys of its own sequence up to itself. */
    float[] attentionBias(float masked) {
        int w = width();
        float[] bias = new float[rows() * w * w];
        Arrays.fill(bias, masked);
        for (int r = 0; r < rows(); r++) {
            int[] starts = starts(r);
            for (int i = 0; i < w; i++) {
                int from = (r * w + i) * w;
                Arrays.fill(bias, from + starts[i], from + i + 1, 0f);
            }
        }
        return bias;
    }

    /** For each column of a row, the column where the sequence it belongs to begins. */
    private int[] starts(int r) {
        int[] starts = new int[width()];
        for (int s = 0; s < size(); s++) {
            if (row[s] == r) {
                Arrays.fill(starts, column[s], width(), column[s]);
            }
        }
        return starts;
    }
}
