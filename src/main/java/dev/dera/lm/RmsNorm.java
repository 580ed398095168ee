package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Root-mean-square normalization over the last axis, computed in float32 as Hugging Face's Llama does. */
final class RmsNorm {
    private RmsNorm() {}

    static NDArray apply(NDArray x, NDArray weight, double eps) {
        NDArray wide = x.toType(DataType.FLOAT32, false);
        NDArray meanSquare = wide.square().mean(new int[] {-1}, true);
        NDArray normalized = wide.div(meanSquare.add(eps).sqrt());
        return normalized.toType(x.getDataType(), false).mul(weight);
    }
}
