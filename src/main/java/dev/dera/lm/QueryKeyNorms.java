package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Norms of queries and keys before the rotation: none, per head over head_dim (Qwen3), or over the whole projected
 * q and k (OLMo 2).
 */
record QueryKeyNorms(Norm query, Norm key, boolean perHead) {
    static final QueryKeyNorms NONE = new QueryKeyNorms(Norm.NONE, Norm.NONE, false);

    /**
     * Flat projected queries then keys [models, rows * tokens, (heads + kvHeads) * dim], with {@code queryWidth}
     * = heads * dim, to normed heads of {@code shape} [models * rows, tokens, heads + kvHeads, dim].
     */
    NDArray apply(NDArray queriesAndKeys, long queryWidth, Shape shape) {
        if (this == NONE) {
            return queriesAndKeys.reshape(shape);
        }
        NDList parts = queriesAndKeys.split(new long[] {queryWidth}, 2);
        return NDArrays.concat(new NDList(norm(query, parts.get(0), shape), norm(key, parts.get(1), shape)), 2);
    }

    /** One of q or k, normed and shaped [models * rows, tokens, its heads, dim]. */
    private NDArray norm(Norm norm, NDArray flat, Shape shape) {
        long models = flat.getShape().get(0);
        long dim = shape.get(3);
        Shape heads = new Shape(shape.get(0), shape.get(1), -1, dim);
        return perHead ? norm.apply(flat.reshape(models, -1, dim)).reshape(heads) : norm.apply(flat).reshape(heads);
    }
}
