package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/** The query, key and value projections of attention: three layers, or one fused layer split by width. */
@FunctionalInterface
interface QueryKeyValue {
    /** {q, k, v} over the last axis of h, each still flat: [.., heads * headDim]. */
    NDArray[] apply(NDArray h);

    static QueryKeyValue separate(Linear query, Linear key, Linear value) {
        return h -> new NDArray[] {query.apply(h), key.apply(h), value.apply(h)};
    }

    /** One layer whose outputs are q ({@code queryWidth}), then k and v ({@code kvWidth} each). */
    static QueryKeyValue fused(Linear queryKeyValue, long queryWidth, long kvWidth) {
        return h -> {
            NDArray all = queryKeyValue.apply(h);
            return new NDArray[] {all.get("..., :{}", queryWidth), all.get("..., {}:{}", queryWidth, queryWidth + kvWidth),
                    all.get("..., {}:", queryWidth + kvWidth)};
        };
    }
}
