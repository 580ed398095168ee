package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** A Hugging Face linear layer y = x W^T (+ b), W stored [out, in]. */
final class Linear {
    private final NDArray weightT;
    private final NDArray bias;

    private Linear(NDArray weightT, NDArray bias) {
        this.weightT = weightT;
        this.bias = bias;
    }

    static Linear load(WeightSource weights, String name, boolean hasBias) {
        NDArray weight = weights.load(name + ".weight");
        NDArray bias = hasBias ? weights.load(name + ".bias") : null;
        return new Linear(weight.transpose(), bias);
    }

    /** The layer over the last axis of x. */
    NDArray apply(NDArray x) {
        NDArray y = x.matMul(weightT);
        return bias == null ? y : y.add(bias);
    }
}
