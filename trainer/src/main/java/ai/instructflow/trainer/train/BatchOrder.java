package ai.instructflow.trainer.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which examples make up the batch of a given step: epochs over a fresh shuffle each, derived from
 * (seed, epoch) alone, so the batch of step s is the same in a resumed run as in an uninterrupted one.
 */
public final class BatchOrder {

    private final int size;
    private final long seed;
    private long epoch = -1;
    private List<Integer> permutation;

    public BatchOrder(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("no examples to train on");
        }
        this.size = size;
        this.seed = seed;
    }

    public int[] batch(long step, int batchSize) {
        int[] out = new int[batchSize];
        for (int j = 0; j < batchSize; j++) {
            long i = step * batchSize + j;
            out[j] = permutation(i / size).get((int) (i % size));
        }
        return out;
    }

    private List<Integer> permutation(long e) {
        if (e != epoch) {
            permutation = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                permutation.add(i);
            }
            Collections.shuffle(permutation, new Random(seed * 1_000_003L + e));
            epoch = e;
        }
        return permutation;
    }

    public static <T> List<T> pick(List<T> items, int[] indices) {
        List<T> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(items.get(i));
        }
        return out;
    }
}
