package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Rotary position embedding in the rotate_half convention, with cos/sin tables for every position. */
final class RotaryEmbedding {
    private final NDArray cos;
    private final NDArray sin;
    private final int half;

    RotaryEmbedding(NDManager manager, ModelConfig config, DataType dataType) {
        int dim = config.headDim();
        half = dim / 2;
        int positions = config.maxPositions();
        float[] cosTable = new float[positions * dim];
        float[] sinTable = new float[positions * dim];
        for (int i = 0; i < half; i++) {
            double inverseFrequency = 1.0 / Math.pow(config.ropeTheta(), 2.0 * i / dim) / config.ropeScalingFactor();
            for (int p = 0; p < positions; p++) {
                double angle = p * inverseFrequency;
                cosTable[p * dim + i] = cosTable[p * dim + i + half] = (float) Math.cos(angle);
                sinTable[p * dim + i] = sinTable[p * dim + i + half] = (float) Math.sin(angle);
            }
        }
        Shape shape = new Shape(positions, dim);
        cos = manager.create(cosTable, shape).toType(dataType, false);
        sin = manager.create(sinTable, shape).toType(dataType, false);
    }

    /** The rotation for each (row, token) position, shaped [rows, tokens, 1, headDim] to broadcast over heads. */
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

        /** Rotates x of shape [rows, tokens, heads, headDim]. */
        NDArray rotate(NDArray x) {
            NDArray firstHalf = x.get(new NDIndex("..., :{}", half));
            NDArray secondHalf = x.get(new NDIndex("..., {}:", half));
            NDArray rotatedHalf = NDArrays.concat(new ai.djl.ndarray.NDList(secondHalf.neg(), firstHalf), -1);
            return x.mul(cos).add(rotatedHalf.mul(sin));
        }
    }
}
