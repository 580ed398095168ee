package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** Gemma's soft capping, cap * tanh(x / cap): bounds scores or logits smoothly to (-cap, cap). */
final class SoftCap {
    private SoftCap() {}

    static NDArray apply(NDArray x, double cap) {
        return x.div(NativeScalar.like(x, cap)).tanh().mul(NativeScalar.like(x, cap));
    }
}
