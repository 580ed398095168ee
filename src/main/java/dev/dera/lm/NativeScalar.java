package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic on arrays that autograd may differentiate. DJL's {@code x.mul(0.5)} wraps the number in
 * an array over Java direct memory and closes it at once; when autograd saved that array for the backward pass (as
 * {@code mul}, {@code div} and {@code maximum} do), a garbage collection between forward and backward frees the
 * memory and the backward pass reads whatever took its place. A native scalar lives in memory PyTorch owns and
 * counts references to, so it is safe whenever its DJL handle is closed.
 */
public final class NativeScalar {

    private NativeScalar() {
    }

    /** {@code value} as a 0-dimensional array of {@code like}'s type, on its device and in its manager. */
    public static NDArray like(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
