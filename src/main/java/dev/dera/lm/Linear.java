package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * A linear layer y = x W^T (+ b), with W stored [out, in] (nn.Linear) or [in, out] (GPT-2's Conv1D). Stacked
 * weights ([models, out, in]) multiply activations [models, tokens, in] in one batched matmul, model by model.
 */
final class Linear {
    private final NDArray weightT;
    private final NDArray bias;

    private Linear(NDArray weightT, NDArray bias) {
        this.weightT = weightT;
        this.bias = bias;
    }

    /** An nn.Linear: {@code name.weight} [out, in], and {@code name.bias} [out] when {@code hasBias}. */
    static Linear load(WeightSource weights, String name, boolean hasBias) {
        NDArray weight = weights.load(name + ".weight");
        return new Linear(weight.swapAxes(-1, -2), hasBias ? weights.loadPerFeature(name + ".bias") : null);
    }

    /**
     * nn.Linear layers over the same input as one: their weights (and biases) stacked on the output axis, in the
     * order named, so the outputs come out side by side. The stacked tensors replace the loaded ones, which are
     * closed: only for a {@link WeightSource#fusible} source.
     */
    static Linear loadStacked(WeightSource weights, boolean hasBias, String... names) {
        NDArray weight = stack(weights, names, ".weight", -2);
        return new Linear(weight.swapAxes(-1, -2),
                hasBias ? weights.perFeature(stack(weights, names, ".bias", -1)) : null);
    }

    /** A GPT-2 Conv1D: {@code name.weight} stored [in, out], and {@code name.bias} [out]. */
    static Linear loadConv1d(WeightSource weights, String name) {
        return new Linear(weights.load(name + ".weight"), weights.loadPerFeature(name + ".bias"));
    }

    /** The tensors on their output axis ({@code axis}: -2 for weights, -1 for biases, past any model axis). */
    private static NDArray stack(WeightSource weights, String[] names, String suffix, int axis) {
        try (NDList parts = new NDList()) {
            for (String name : names) {
                parts.add(weights.load(name + suffix));
            }
            return NDArrays.concat(parts, axis);
        }
    }

    /** The layer over the last axis of x. */
    NDArray apply(NDArray x) {
        NDArray y = x.matMul(weightT);
        return bias == null ? y : y.add(bias);
    }
}
