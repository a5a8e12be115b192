package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Work in an NDScope of its own, so its intermediate arrays are freed the moment it returns rather
 * than when the caller's scope closes. Closing our handle never frees what autograd saved for the
 * backward pass when libtorch allocated it: libtorch holds its own reference. An array borrowing a
 * Java buffer has no such guard, which is why constants go through {@link OwnedArrays#scale}. At
 * GPT-2 small's shape the difference is gigabytes per training step (a block's attention scores and
 * GELU partials, AdamW's full-size temporaries).
 */
public final class Scoped {

    private Scoped() {}

    /** {@code work}'s result, which joins the caller's scope (if there is one) like any other array. */
    public static NDArray call(Supplier<NDArray> work) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = work.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    /** {@code work} for its effects (in-place updates); everything it creates is freed. */
    public static void run(Runnable work) {
        try (NDScope scope = new NDScope()) {
            work.run();
        }
    }
}
