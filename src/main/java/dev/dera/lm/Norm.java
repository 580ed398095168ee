package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** A normalization over the last axis (RMSNorm, Gemma's RMSNorm, LayerNorm), or none. */
@FunctionalInterface
interface Norm {
    /** No normalization: where a family has no norm at a place others have one. */
    Norm NONE = x -> x;

    NDArray apply(NDArray x);
}
