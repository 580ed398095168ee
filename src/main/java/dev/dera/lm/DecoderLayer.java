package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/** One transformer block: RMSNorm, grouped-query attention with a KV cache, RMSNorm, SwiGLU MLP. */
final class DecoderLayer {
    private final int index;
    private final ModelConfig config;
    private final NDArray inputNorm;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final NDArray postAttentionNorm;
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    DecoderLayer(int index, ModelConfig config, WeightSource weights) {
        this.index = index;
        this.config = config;
        String prefix = TensorLayout.layerPrefix(index);
        boolean bias = config.attentionBias();
        inputNorm = weights.load(prefix + "input_layernorm.weight");
        query = Linear.load(weights, prefix + "self_attn.q_proj", bias);
        key = Linear.load(weights, prefix + "self_attn.k_proj", bias);
        value = Linear.load(weights, prefix + "self_attn.v_proj", bias);
        output = Linear.load(weights, prefix + "self_attn.o_proj", false);
        postAttentionNorm = weights.load(prefix + "post_attention_layernorm.weight");
        gate = Linear.load(weights, prefix + "mlp.gate_proj", false);
        up = Linear.load(weights, prefix + "mlp.up_proj", false);
        down = Linear.load(weights, prefix + "mlp.down_proj", false);
    }

    /** x: [rows, tokens, hidden]; writes this layer's keys/values for the tokens into the cache at slot start. */
    NDArray forward(NDArray x, RotaryEmbedding.Angles angles, NDArray mask, KvCache cache, int start) {
        NDArray attended = x.add(attention(RmsNorm.apply(x, inputNorm, config.rmsNormEps()), angles, mask, cache, start));
        return attended.add(mlp(RmsNorm.apply(attended, postAttentionNorm, config.rmsNormEps())));
    }

    private NDArray attention(NDArray h, RotaryEmbedding.Angles angles, NDArray mask, KvCache cache, int start) {
        long rows = h.getShape().get(0);
        long tokens = h.getShape().get(1);
        int kvHeads = config.numKvHeads();
        int groups = config.queriesPerKvHead();
        int dim = config.headDim();
        NDArray q = angles.rotate(query.apply(h).reshape(rows, tokens, config.numHeads(), dim));
        NDArray k = angles.rotate(key.apply(h).reshape(rows, tokens, kvHeads, dim));
        NDArray v = value.apply(h).reshape(rows, tokens, kvHeads, dim);
        cache.writeLayer(index, start, k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3));

        // Queries grouped by the key/value head they share, [rows, kvHeads, groups * tokens, dim], so that each
        // product with the cached keys and values is one batched matmul over (rows, kvHeads) reading the cache in
        // place: broadcasting the cache over the groups would copy it at every step.
        NDArray groupedQueries = q.reshape(rows, tokens, kvHeads, groups, dim).transpose(0, 2, 3, 1, 4)
                .reshape(rows, kvHeads, groups * tokens, dim);
        NDArray keysT = cache.keys(index).transpose(0, 1, 3, 2);
        NDArray products = groupedQueries.matMul(keysT).toType(DataType.FLOAT32, false)
                .reshape(rows, kvHeads, groups, tokens, -1);
        NDArray scores = products.mul(NativeScalar.like(products, 1.0 / Math.sqrt(dim))).add(mask);
        NDArray probabilities = scores.softmax(-1).toType(h.getDataType(), false)
                .reshape(rows, kvHeads, groups * tokens, -1);
        NDArray context = probabilities.matMul(cache.values(index)).reshape(rows, kvHeads, groups, tokens, dim);
        return output.apply(context.transpose(0, 3, 1, 2, 4).reshape(rows, tokens, (long) config.numHeads() * dim));
    }

    private NDArray mlp(NDArray h) {
        NDArray gated = gate.apply(h);
        return down.apply(gated.mul(Activation.sigmoid(gated)).mul(up.apply(h)));
    }
}
