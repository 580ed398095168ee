package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Shape checks and float32 views shared by the functions that take logits {@code [rows, vocab]}. */
final class Logits {

    private Logits() {}

    /** The shape of {@code logits}; fails unless it is {@code [rows, vocab]}. */
    static Shape requireMatrix(NDArray logits, String name) {
        if (logits.getShape().dimension() != 2) {
            throw new IllegalArgumentException(name + " must be [rows, vocab], got " + logits.getShape());
        }
        return logits.getShape();
    }

    /** The shape of {@code pair}; fails unless it is both models' logits {@code [2, rows, vocab]}. */
    static Shape requirePair(NDArray pair) {
        Shape shape = pair.getShape();
        if (shape.dimension() != 3 || shape.get(0) != 2) {
            throw new IllegalArgumentException("pair must be [2, rows, vocab], got " + shape);
        }
        return shape;
    }

    /** The array as float32: the array itself when it already is, otherwise a converted copy. */
    static NDArray asFloat32(NDArray array) {
        return array.toType(DataType.FLOAT32, false);
    }

    /** Fails unless {@code array} has the given shape. */
    static void requireShape(NDArray array, Shape expected, String name) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    name + " must have shape " + expected + ", got " + array.getShape());
        }
    }

    /** Fails unless the per-row input has exactly one entry per row. */
    static void requireRows(int length, long rows, String name) {
        if (length != rows) {
            throw new IllegalArgumentException(name + " has " + length + " entries for " + rows + " rows");
        }
    }
}
