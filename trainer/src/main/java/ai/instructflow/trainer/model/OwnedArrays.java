package ai.instructflow.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Arrays made from Java-side bytes that own their memory. On CPU, libtorch wraps a direct buffer
 * handed to DJL ({@code from_blob}) instead of copying it, so the tensor reads memory that the Java
 * buffer (a mapping, a direct allocation) owns, and once the garbage collector frees that buffer the
 * weights silently turn into whatever is reused there. Cloning inside libtorch gives the tensor
 * storage of its own; the borrowed view is closed at once.
 */
public final class OwnedArrays {

    private OwnedArrays() {}

    /**
     * A float32 array of {@code shape} from little-endian {@code bytes} of {@code type} (float32,
     * float16 or bfloat16; the narrow ones are widened exactly).
     */
    public static NDArray fromBytes(NDManager manager, ByteBuffer bytes, Shape shape, DataType type) {
        if (type == DataType.BFLOAT16) {
            // DJL 0.36's JNI aborts the process on a bfloat16 blob; widening is a 16-bit shift anyway
            return fromBytes(manager, widenBfloat16(bytes), shape, DataType.FLOAT32);
        }
        ByteBuffer direct = bytes;
        if (!bytes.isDirect()) {
            direct = ByteBuffer.allocateDirect(bytes.remaining()).order(bytes.order());
            direct.put(bytes.duplicate()).flip();
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray borrowed = scratch.create(direct, shape, type);
            NDArray owned = type == DataType.FLOAT32 ? borrowed.duplicate() : borrowed.toType(DataType.FLOAT32, true);
            owned.attach(manager);
            return owned;
        } finally {
            // the buffer must outlive the copy: nothing else keeps it reachable while libtorch reads it
            Reference.reachabilityFence(direct);
        }
    }

    /**
     * {@code x * c} where autograd may differentiate through it. DJL's own {@code x.mul(c)} wraps the
     * number in an array that borrows a Java buffer and closes that array at once, while autograd
     * keeps it for the backward pass (d(x c)/dx = c): once the garbage collector frees the buffer,
     * the gradient is computed from whatever lies there. That showed up as steps skipped for a
     * non-finite gradient norm and as runs that did not repeat themselves. Here the constant is an
     * array libtorch allocates ({@code full}), which autograd's reference keeps alive.
     */
    public static NDArray scale(NDArray x, float c) {
        return x.mul(x.getManager().full(new Shape(), c, DataType.FLOAT32));
    }

    /** bfloat16 is the upper half of a float32: the same sign, exponent and leading mantissa bits. */
    private static ByteBuffer widenBfloat16(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 2) {
            out.putInt((in.getShort() & 0xffff) << 16);
        }
        return out.flip();
    }
}
