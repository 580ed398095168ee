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
    /** cos then sin of every position, [positions, 2, 1, headDim]. */
    private final NDArray cosSin;
    /** I then P, [2, headDim, headDim]: disjoint supports, so the sum of their weighted copies is exact. */
    private final NDArray basis;

    RotaryEmbedding(NDManager manager, ModelConfig config, DataType dataType) {
        int headDim = config.headDim();
        int rotaryDim = config.rope().rotaryDim(headDim);
        int half = rotaryDim / 2;
        double[] frequencies = config.rope().inverseFrequencies(headDim);
        int positions = config.maxPositions();
        float[] table = new float[positions * 2 * headDim];
        for (int p = 0; p < positions; p++) {
            int cos = 2 * p * headDim;
            int sin = cos + headDim;
            for (int i = 0; i < half; i++) {
                double angle = p * frequencies[i];
                table[cos + i] = table[cos + i + half] = (float) Math.cos(angle);
                table[sin + i] = table[sin + i + half] = (float) Math.sin(angle);
            }
            for (int i = rotaryDim; i < headDim; i++) {
                table[cos + i] = 1f;
            }
        }
        float[] matrices = new float[2 * headDim * headDim];
        int permutation = headDim * headDim;
        for (int j = 0; j < headDim; j++) {
            matrices[j * headDim + j] = 1f;
        }
        for (int j = 0; j < half; j++) {
            matrices[permutation + (j + half) * headDim + j] = -1f; // output j < half takes -x[j + half]
            matrices[permutation + j * headDim + j + half] = 1f; // output j + half takes x[j]
        }
        cosSin = manager.create(table, new Shape(positions, 2, 1, headDim)).toType(dataType, false);
        basis = manager.create(matrices, new Shape(2, headDim, headDim)).toType(dataType, false);
    }

    /** The rotation of each (row, token) position of {@code positions} [rows, tokens]. */
    Angles at(NDArray positions) {
        NDArray weighted = basis.mul(cosSin.get(new NDIndex("{}", positions)));
        return new Angles(weighted.sum(new int[] {2}));
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
