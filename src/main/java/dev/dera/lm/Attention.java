package dev.dera.lm;

import ai.djl.ndarray.NDArray;
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

    /** h: [rows, tokens, hidden]; writes this layer's keys/values for the tokens into the cache. */
    NDArray apply(NDArray h, ForwardPass pass) {
        long rows = h.getShape().get(0);
        long tokens = h.getShape().get(1);
        int groups = heads / kvHeads;
        NDArray[] qkv = projections.apply(h);
        NDArray q = norms.queries(qkv[0], new Shape(rows, tokens, heads, dim));
        NDArray k = norms.keys(qkv[1], new Shape(rows, tokens, kvHeads, dim));
        if (rotary) {
            q = pass.angles().rotate(q);
            k = pass.angles().rotate(k);
        }
        NDArray v = qkv[2].reshape(rows, tokens, kvHeads, dim);
        KvCache cache = pass.cache();
        cache.writeLayer(layer, k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3));

        // Queries grouped by the key/value head they share, [rows, kvHeads, groups * tokens, dim], so that each
        // product with the cached keys and values is one batched matmul over (rows, kvHeads) reading the cache in
        // place: broadcasting the cache over the groups would copy it at every step.
        NDArray groupedQueries = q.reshape(rows, tokens, kvHeads, groups, dim).transpose(0, 2, 3, 1, 4)
                .reshape(rows, kvHeads, groups * tokens, dim);
        NDArray keysT = cache.keys(layer).transpose(0, 1, 3, 2);
        NDArray products = groupedQueries.matMul(keysT).toType(DataType.FLOAT32, false)
                .reshape(rows, kvHeads, groups, tokens, -1);
        NDArray scores = products.mul(NativeScalar.like(products, scale));
        if (softCap > 0) {
            scores = SoftCap.apply(scores, softCap);
        }
        NDArray probabilities = scores.add(pass.mask(window)).softmax(-1).toType(h.getDataType(), false)
                .reshape(rows, kvHeads, groups * tokens, -1);
        NDArray context = probabilities.matMul(cache.values(layer)).reshape(rows, kvHeads, groups, tokens, dim);
        return output.apply(context.transpose(0, 3, 1, 2, 4).reshape(rows, tokens, (long) heads * dim));
    }
}
