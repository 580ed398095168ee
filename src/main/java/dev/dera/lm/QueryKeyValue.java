package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The query, key and value projections of attention: three layers, or one fused layer split by width. Queries and
 * keys come out side by side, so that one call rotates both.
 */
@FunctionalInterface
interface QueryKeyValue {
    /**
     * {queries then keys, values} over the last axis of h, still flat: [.., (heads + kvHeads) * headDim] and
     * [.., kvHeads * headDim].
     */
    NDArray[] apply(NDArray h);

    /**
     * The {@code q_proj}, {@code k_proj} and {@code v_proj} layers under {@code prefix}: fused into one matmul where
     * the source allows it ({@link WeightSource#fusible}), three layers otherwise.
     */
    static QueryKeyValue load(WeightSource weights, String prefix, boolean bias, long queryWidth, long kvWidth) {
        String q = prefix + "q_proj";
        String k = prefix + "k_proj";
        String v = prefix + "v_proj";
        if (weights.fusible()) {
            return fused(Linear.loadStacked(weights, bias, q, k, v), queryWidth, kvWidth);
        }
        return separate(Linear.load(weights, q, bias), Linear.load(weights, k, bias), Linear.load(weights, v, bias));
    }

    static QueryKeyValue separate(Linear query, Linear key, Linear value) {
        return h -> new NDArray[] {NDArrays.concat(new NDList(query.apply(h), key.apply(h)), -1), value.apply(h)};
    }

    /** One layer whose outputs are q ({@code queryWidth}), then k and v ({@code kvWidth} each). */
    static QueryKeyValue fused(Linear queryKeyValue, long queryWidth, long kvWidth) {
        long[] splits = {queryWidth + kvWidth};
        return h -> {
            NDArray all = queryKeyValue.apply(h);
            return all.split(splits, all.getShape().dimension() - 1).toArray(new NDArray[0]);
        };
    }
}
