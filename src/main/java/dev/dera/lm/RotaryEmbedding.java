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
 * <p>rotate_half is a signed permutation P of the head's dimensions (zero past the rotary part, where cos = 1 and
 * sin = 0), so x * cos + rotate_half(x) * sin = x * cos + (x P) * sin, exactly: each output of x P is one input.
 * A decode step (one token per row) goes further: the rotation is x R with R = I diag(cos) + P diag(sin), which
 * {@link #at} builds once per call, so each layer rotates its queries and keys with one batched matmul (whose
 * products with R's zeros add nothing). Calls with several tokens per row keep the elementwise form, whose
 * tables grow with rows x tokens x headDim rather than x headDim^2.
 */
final class RotaryEmbedding {
    /** cos then sin of every position, [positions, 2, 1, headDim]. */
    private final NDArray cosSin;
    /** I then P, [2, headDim, headDim]: disjoint supports, so a sum of their weighted copies is exact. */
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
        NDArray cosAndSin = cosSin.get(new NDIndex("{}", positions));
        if (positions.getShape().get(1) == 1) {
            return new Angles(basis.mul(cosAndSin).sum(new int[] {2}), null, null, null);
        }
        return new Angles(null, cosAndSin.get(new NDIndex(":, :, 0")), cosAndSin.get(new NDIndex(":, :, 1")),
                basis.get(1));
    }

    /**
     * The rotation of a batch of positions: matrices [rows, 1, headDim, headDim] for one token per row, else
     * cos and sin [rows, tokens, 1, headDim] and P.
     */
    static final class Angles {
        private final NDArray rotation;
        private final NDArray cos;
        private final NDArray sin;
        private final NDArray rotateHalf;

        private Angles(NDArray rotation, NDArray cos, NDArray sin, NDArray rotateHalf) {
            this.rotation = rotation;
            this.cos = cos;
            this.sin = sin;
            this.rotateHalf = rotateHalf;
        }

        /** Rotates x of shape [rows, tokens, heads, headDim]; dimensions past the rotary part pass unchanged. */
        NDArray rotate(NDArray x) {
            return rotation != null ? x.matMul(rotation) : x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
        }
    }
}
