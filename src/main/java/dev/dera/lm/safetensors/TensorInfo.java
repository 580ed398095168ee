package dev.dera.lm.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file: its name, dtype, shape, and where its data lies in the file.
 *
 * @param name       the tensor's name in the header
 * @param dtype      the element type
 * @param shape      the dimensions, outermost first (empty for a scalar)
 * @param dataStart  the absolute offset of the first data byte in the file
 * @param byteLength the number of data bytes
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long dataStart, long byteLength) {

    /** Copies {@code shape}, so the record stays immutable. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy of the dimensions, outermost first. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements (1 for a scalar). */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /**
     * The dimensions as ints.
     *
     * @throws ArithmeticException if a dimension exceeds {@link Integer#MAX_VALUE} (never for a tensor read from a
     *                             file, whose header is rejected in that case)
     */
    public int[] intShape() {
        return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
    }

    /** Equal when all fields are, comparing shapes element by element. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && dataStart == that.dataStart
                && byteLength == that.byteLength;
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), dataStart, byteLength);
    }

    /** Name, dtype, shape and data range, for messages and logs. */
    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @" + dataStart + "+" + byteLength;
    }
}
