package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Norms of queries and keys before the rotation: none, per head over head_dim (Qwen3), or over the whole projected
 * q and k (OLMo 2).
 */
record QueryKeyNorms(Norm query, Norm key, boolean perHead) {
    static final QueryKeyNorms NONE = new QueryKeyNorms(Norm.NONE, Norm.NONE, false);

    /** Flat projected queries [rows, tokens, heads * dim] to normed heads of {@code shape}. */
    NDArray queries(NDArray flat, Shape shape) {
        return split(query, flat, shape);
    }

    NDArray keys(NDArray flat, Shape shape) {
        return split(key, flat, shape);
    }

    private NDArray split(Norm norm, NDArray flat, Shape shape) {
        return perHead ? norm.apply(flat.reshape(shape)) : norm.apply(flat).reshape(shape);
    }
}
