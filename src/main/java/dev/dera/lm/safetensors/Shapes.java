package dev.dera.lm.safetensors;

/** Arithmetic on tensor shapes shared by the reader and the writer. */
final class Shapes {

    private Shapes() {
    }

    /**
     * The number of elements of a tensor of this shape (1 for a scalar).
     *
     * @throws ArithmeticException if the count does not fit in a long
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /**
     * The number of bytes a tensor of this shape and dtype takes.
     *
     * @throws ArithmeticException if the size does not fit in a long
     */
    static long byteLength(TensorDType dtype, long[] shape) {
        return Math.multiplyExact(elementCount(shape), dtype.byteSize());
    }
}
