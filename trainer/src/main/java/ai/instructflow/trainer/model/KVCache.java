package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far, so that decoding a new token costs one
 * position's worth of compute instead of re-running the whole prefix. Lives across the NDScopes of
 * individual decode steps: the arrays it keeps are unregistered from them and closed here.
 */
public final class KVCache implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;
    private int[] leftPad;
    private int length;

    public KVCache(int layers) {
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

    /** Appends this step's keys and values for one layer and returns the full ones, [B, H, S, hd]. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
        NDScope.unregister(fullK, fullV);
        close(layer);
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
    }

    /** Called once per forward pass, after every layer appended. */
    void advance(int steps) {
        length += steps;
    }

    private void close(int layer) {
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            close(i);
            keys[i] = null;
            values[i] = null;
        }
    }
}
