package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Layer normalization with weight and bias over the last axis (GPT-2), computed in float32. */
final class LayerNorm implements Norm {
    private final NDArray weight;
    private final NDArray bias;
    private final double eps;

    private LayerNorm(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /** Reads {@code name.weight} and {@code name.bias}. */
    static LayerNorm load(WeightSource weights, String name, double eps) {
        return new LayerNorm(weights.loadPerFeature(name + ".weight"), weights.loadPerFeature(name + ".bias"), eps);
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray wide = x.toType(DataType.FLOAT32, false);
        NDArray centered = wide.sub(wide.mean(new int[] {-1}, true));
        NDArray variance = centered.square().mean(new int[] {-1}, true);
        NDArray normalized = centered.div(variance.add(eps).sqrt());
        return normalized.toType(x.getDataType(), false).mul(weight).add(bias);
    }
}
