package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the rotate_half convention, with cos/sin tables for every position; frequencies
 * come from {@link Rope}, and only the leading rotary part of each head turns (partial rotary).
 */
final class RotaryEmbedding {
    private final NDArray cos;
    private final NDArray sin;
    private final int rotaryDim;
    private final int headDim;

    RotaryEmbedding(NDManager manager, ModelConfig config, DataType dataType) {
        headDim = config.headDim();
        rotaryDim = config.rope().rotaryDim(headDim);
        int half = rotaryDim / 2;
        double[] frequencies = config.rope().inverseFrequencies(headDim);
        int positions = config.maxPositions();
        float[] cosTable = new float[positions * rotaryDim];
        float[] sinTable = new float[positions * rotaryDim];
        for (int i = 0; i < half; i++) {
            for (int p = 0; p < positions; p++) {
                double angle = p * frequencies[i];
                cosTable[p * rotaryDim + i] = cosTable[p * rotaryDim + i + half] = (float) Math.cos(angle);
                sinTable[p * rotaryDim + i] = sinTable[p * rotaryDim + i + half] = (float) Math.sin(angle);
            }
        }
        Shape shape = new Shape(positions, rotaryDim);
        cos = manager.create(cosTable, shape).toType(dataType, false);
        sin = manager.create(sinTable, shape).toType(dataType, false);
    }

    /** The rotation for each (row, token) position, shaped [rows, tokens, 1, rotaryDim] to broadcast over heads. */
    Angles at(NDArray positions) {
        NDIndex byPosition = new NDIndex("{}", positions);
        return new Angles(cos.get(byPosition).expandDims(2), sin.get(byPosition).expandDims(2));
    }

    /** cos and sin of the angles of a batch of positions. */
    final class Angles {
        private final NDArray cos;
        private final NDArray sin;

        private Angles(NDArray cos, NDArray sin) {
            this.cos = cos;
            this.sin = sin;
        }

        /** Rotates x of shape [rows, tokens, heads, headDim]; dimensions past the rotary part pass unchanged. */
        NDArray rotate(NDArray x) {
            if (rotaryDim == headDim) {
                return rotateAll(x);
            }
            NDArray turned = rotateAll(x.get(new NDIndex("..., :{}", rotaryDim)));
            return NDArrays.concat(new NDList(turned, x.get(new NDIndex("..., {}:", rotaryDim))), -1);
        }

        private NDArray rotateAll(NDArray x) {
            int half = rotaryDim / 2;
            NDArray firstHalf = x.get(new NDIndex("..., :{}", half));
            NDArray secondHalf = x.get(new NDIndex("..., {}:", half));
            NDArray rotatedHalf = NDArrays.concat(new NDList(secondHalf.neg(), firstHalf), -1);
            return x.mul(cos).add(rotatedHalf.mul(sin));
        }
    }
}
