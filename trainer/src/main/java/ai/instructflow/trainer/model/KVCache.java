package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for the tokens seen so far, so that decoding a new token costs one
 * position's worth of compute instead of re-running the whole prefix. Each layer's keys and values
 * live in one array of the full {@code capacity}, written in place: growing them by concatenation
 * instead copied the whole cache every step, a fifth of decoding's time at batch 64. Lives across
 * the NDScopes of individual decode steps: the arrays it keeps are unregistered from them and
 * closed here.
 */
public final class KVCache implements AutoCloseable {

    private final int capacity;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int[] leftPad;
    private int length;

    /** @param capacity the most positions it will hold: the prompt plus every token to be decoded */
    public KVCache(int layers, int capacity) {
        this.capacity = capacity;
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    public int length() {
        return length;
    }

    /** Padding of the first batch seen: later single-token steps carry no padding of their own. */
    int[] leftPad(TokenBatch batch) {
        if (leftPad == null) {
            leftPad = batch.leftPad().clone();
        }
        return leftPad;
    }

    /**
     * Writes this step's keys and values for one layer after what the cache holds and returns views
     * of everything held, [B, H, S, hd]; the views belong to the caller's scope, the storage to the
     * cache.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        Shape s = k.getShape();
        int end = length + (int) s.get(2);
        if (end > capacity) {
            throw new IllegalStateException("the KV cache holds " + capacity + " positions, " + end + " asked");
        }
        if (keys[layer] == null) {
            Shape full = new Shape(s.get(0), s.get(1), capacity, s.get(3));
            keys[layer] = k.getManager().zeros(full, k.getDataType());
            values[layer] = v.getManager().zeros(full, v.getDataType());
            NDScope.unregister(keys[layer], values[layer]);
        }
        NDIndex written = new NDIndex(":, :, {}:{}", length, end);
        keys[layer].set(written, k);
        values[layer].set(written, v);
        NDIndex held = new NDIndex(":, :, :{}", end);
        return new NDArray[] {keys[layer].get(held), values[layer].get(held)};
    }

    /** Called once per forward pass, after every layer appended. */
    void advance(int steps) {
        length += steps;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
            }
            keys[i] = null;
            values[i] = null;
        }
    }
}
