package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** A linear layer y = x W^T (+ b), with W stored [out, in] (nn.Linear) or [in, out] (GPT-2's Conv1D). */
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
        return new Linear(weight.transpose(), hasBias ? weights.load(name + ".bias") : null);
    }

    /** A GPT-2 Conv1D: {@code name.weight} stored [in, out], and {@code name.bias} [out]. */
    static Linear loadConv1d(WeightSource weights, String name) {
        return new Linear(weights.load(name + ".weight"), weights.load(name + ".bias"));
    }

    /** The layer over the last axis of x. */
    NDArray apply(NDArray x) {
        NDArray y = x.matMul(weightT);
        return bias == null ? y : y.add(bias);
    }
}
