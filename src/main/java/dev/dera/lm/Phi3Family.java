package dev.dera.lm;

/**
 * Phi-3: Llama's pre-norm blocks with q/k/v in one fused qkv_proj and gate/up in one fused gate_up_proj (used
 * fused and split by width), rotary embeddings over the leading partial_rotary_factor of each head, and an
 * optional sliding window on every layer.
 */
final class Phi3Family implements Family {
    static final Phi3Family INSTANCE = new Phi3Family();

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("hidden_act", "silu", "silu");
        ModelConfig config = ModelConfig.standard(architecture, fields, false).withAttentionBias(false);
        int window = fields.intOr("sliding_window", 0);
        return config.withWindow(window, ModelConfig.everyLayer(config.numLayers(), window > 0));
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        long hidden = config.hiddenSize();
        long queryWidth = (long) config.numHeads() * config.headDim();
        long kvWidth = (long) config.numKvHeads() * config.headDim();
        LlamaLayout.declare(config, shapes, (prefix, layer) -> {
            layer.add(prefix + "input_layernorm.weight", hidden);
            layer.add(prefix + "self_attn.qkv_proj.weight", queryWidth + 2 * kvWidth, hidden);
            layer.add(prefix + "self_attn.o_proj.weight", hidden, queryWidth);
            layer.add(prefix + "post_attention_layernorm.weight", hidden);
            layer.add(prefix + "mlp.gate_up_proj.weight", 2L * config.intermediateSize(), hidden);
            layer.add(prefix + "mlp.down_proj.weight", hidden, config.intermediateSize());
        });
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        long queryWidth = (long) config.numHeads() * config.headDim();
        long kvWidth = (long) config.numKvHeads() * config.headDim();
        return LlamaLayout.rmsNormParts(config, weights, i -> {
            String prefix = LlamaLayout.layer(i);
            QueryKeyValue projections = QueryKeyValue.fused(
                    Linear.load(weights, prefix + "self_attn.qkv_proj", false), queryWidth, kvWidth);
            Attention attention = new Attention(i, config, projections,
                    Linear.load(weights, prefix + "self_attn.o_proj", false), QueryKeyNorms.NONE, true);
            Mlp mlp = Mlp.fusedGated(Linear.load(weights, prefix + "mlp.gate_up_proj", false),
                    Linear.load(weights, prefix + "mlp.down_proj", false), ActivationFunction.SILU);
            return DecoderLayer.preNorm(RmsNorm.load(weights, prefix + "input_layernorm.weight", eps),
                    attention, RmsNorm.load(weights, prefix + "post_attention_layernorm.weight", eps), mlp);
        });
    }
}
