package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** Gemma's soft capping, cap * tanh(x / cap): bounds scores or logits smoothly to (-cap, cap). */
final class SoftCap {
    private SoftCap() {}

    /** With the pass's constants ({@link ForwardPass#constant}). */
    static NDArray apply(NDArray x, double cap, ForwardPass pass) {
        NDArray limit = pass.constant(x, cap);
        return x.div(limit).tanh().mul(limit);
    }
}
