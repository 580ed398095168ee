package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Root-mean-square normalization over the last axis, computed in float32 as Hugging Face's Llama does. */
final class RmsNorm implements Norm {
    private final NDArray weight;
    private final double eps;

    private RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = eps;
    }

    /** x / rms(x) * w. */
    static RmsNorm load(WeightSource weights, String name, double eps) {
        return new RmsNorm(weights.loadPerFeature(name), eps);
    }

    /** Gemma's variant, x / rms(x) * (1 + w): the offset is added once, at load, in float32. */
    static RmsNorm loadUnitOffset(WeightSource weights, String name, double eps) {
        NDArray stored = weights.load(name);
        NDArray offset = stored.toType(DataType.FLOAT32, false).add(1f).toType(stored.getDataType(), false);
        return new RmsNorm(weights.perFeature(offset), eps);
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray wide = x.toType(DataType.FLOAT32, false);
        NDArray meanSquare = wide.square().mean(new int[] {-1}, true);
        NDArray normalized = wide.div(meanSquare.add(eps).sqrt());
        return normalized.toType(x.getDataType(), false).mul(weight);
    }
}
