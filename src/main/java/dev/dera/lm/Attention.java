package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Grouped-query attention over the KV cache, with the options families differ in: q/k norms, rotation or none,
 * the score scale, a soft cap on scores, and this layer's sliding window.
 */
final class Attention {
    private final int layer;
    private final int heads;
    private final int kvHeads;
    private final int dim;
    private final QueryKeyValue projections;
    private final Linear output;
    private final QueryKeyNorms norms;
    private final boolean rotary;
    private final double scale;
    private final double softCap;
    private final int window;

    /** {@code rotary} false: positions enter elsewhere (GPT-2's learned positions). */
    Attention(int layer, ModelConfig config, QueryKeyValue projections, Linear output, QueryKeyNorms norms,
            boolean rotary) {
        this.layer = layer;
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.dim = config.headDim();
        this.projections = projections;
        this.output = output;
        this.norms = norms;
        this.rotary = rotary;
        this.scale = 1.0 / Math.sqrt(config.queryPreAttnScalar());
        this.softCap = config.attentionSoftCap();
        this.window = config.windowOf(layer);
    }

    /**
     * h: [models, rows * tokens, hidden]; writes this layer's keys/values for the tokens into the cache, whose
     * rows are the models' rows, model-major.
     */
    NDArray apply(NDArray h, ForwardPass pass) {
        long rows = pass.rows();
        long tokens = pass.tokens();
        int groups = heads / kvHeads;
        NDArray[] projected = projections.apply(h);
        NDArray queriesAndKeys = norms.apply(projected[0], (long) heads * dim,
                new Shape(rows, tokens, heads + kvHeads, dim));
        if (rotary) {
            queriesAndKeys = pass.angles().rotate(queriesAndKeys);
        }
        NDList qk = queriesAndKeys.split(new long[] {heads}, 2);
        NDArray v = projected[1].reshape(rows, tokens, kvHeads, dim);
        KvCache cache = pass.cache();
        cache.writeLayer(layer, qk.get(1).transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3));

        // Queries grouped by the key/value head they share, token-major, [rows, kvHeads, tokens * groups, dim], so
        // that each product with the cached keys and values is one batched matmul over (rows, kvHeads) reading
        // the cache in place: broadcasting the cache over the groups would copy it at every step.
        NDArray groupedQueries = tokens == 1 ? qk.get(0).reshape(rows, kvHeads, groups, dim)
                : qk.get(0).reshape(rows, tokens, kvHeads, groups, dim).transpose(0, 2, 1, 3, 4)
                        .reshape(rows, kvHeads, tokens * groups, dim);
        NDArray keysT = cache.keys(layer).transpose(0, 1, 3, 2);
        NDArray products = groupedQueries.matMul(keysT).toType(DataType.FLOAT32, false);
        NDArray scores = products.mul(pass.constant(products, scale));
        if (softCap > 0) {
            scores = SoftCap.apply(scores, softCap, pass);
        }
        NDArray probabilities = scores.add(pass.mask(window)).softmax(-1).toType(h.getDataType(), false);
        NDArray context = probabilities.matMul(cache.values(layer));
        Shape flat = new Shape(h.getShape().get(0), -1, (long) heads * dim);
        NDArray merged = tokens == 1 ? context.reshape(flat)
                : context.reshape(rows, kvHeads, tokens, groups, dim).transpose(0, 2, 1, 3, 4).reshape(flat);
        return output.apply(merged);
    }
}
