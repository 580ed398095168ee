package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the rotate_half convention, with cos/sin tables for every position; frequencies
 * come from {@link Rope}, and only the leading rotary part of each head turns (partial rotary).
 *
 * <p>The rotation of one position is linear in the head's dimensions: x * cos + rotate_half(x) * sin = x R with
 * R = I diag(cos) + P diag(sin), where P is rotate_half's signed permutation (and cos = 1, sin = 0 past the rotary
 * part). {@link #at} builds R once per forward call, so each layer rotates its queries and keys with one batched
 * matmul whose products with R's zeros add nothing.
 */
final class RotaryEmbedding {
    private final NDArray cos;
    private final NDArray sin;
    private final NDArray identity;
    private final NDArray rotateHalf;

    RotaryEmbedding(NDManager manager, ModelConfig config, DataType dataType) {
        int headDim = config.headDim();
        int rotaryDim = config.rope().rotaryDim(headDim);
        int half = rotaryDim / 2;
        double[] frequencies = config.rope().inverseFrequencies(headDim);
        int positions = config.maxPositions();
        float[] cosTable = new float[positions * headDim];
        float[] sinTable = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * frequencies[i];
                cosTable[p * headDim + i] = cosTable[p * headDim + i + half] = (float) Math.cos(angle);
                sinTable[p * headDim + i] = sinTable[p * headDim + i + half] = (float) Math.sin(angle);
            }
            for (int i = rotaryDim; i < headDim; i++) {
                cosTable[p * headDim + i] = 1f;
            }
        }
        float[] identityMatrix = new float[headDim * headDim];
        float[] permutation = new float[headDim * headDim];
        for (int j = 0; j < headDim; j++) {
            identityMatrix[j * headDim + j] = 1f;
        }
        for (int j = 0; j < half; j++) {
            permutation[(j + half) * headDim + j] = -1f; // output j < half takes -x[j + half]
            permutation[j * headDim + j + half] = 1f; // output j + half takes x[j]
        }
        Shape table = new Shape(positions, headDim);
        Shape square = new Shape(headDim, headDim);
        cos = manager.create(cosTable, table).toType(dataType, false);
        sin = manager.create(sinTable, table).toType(dataType, false);
        identity = manager.create(identityMatrix, square).toType(dataType, false);
        rotateHalf = manager.create(permutation, square).toType(dataType, false);
    }

    /** The rotation of each (row, token) position of {@code positions} [rows, tokens]. */
    Angles at(NDArray positions) {
        NDIndex byPosition = new NDIndex("{}", positions);
        NDArray cosines = cos.get(byPosition).expandDims(2);
        NDArray sines = sin.get(byPosition).expandDims(2);
        return new Angles(identity.mul(cosines).add(rotateHalf.mul(sines)));
    }

    /** The rotation matrices of a batch of positions, [rows, tokens, headDim, headDim]. */
    static final class Angles {
        private final NDArray rotation;

        private Angles(NDArray rotation) {
            this.rotation = rotation;
        }

        /** Rotates x of shape [rows, tokens, heads, headDim]; dimensions past the rotary part pass unchanged. */
        NDArray rotate(NDArray x) {
            return x.matMul(rotation);
        }
    }
}
