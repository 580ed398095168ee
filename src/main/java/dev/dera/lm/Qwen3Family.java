package dev.dera.lm;

/** Qwen3: Llama's blocks plus an RMSNorm over each head of the queries and keys, before the rotation. */
final class Qwen3Family implements Family {
    static final Qwen3Family INSTANCE = new Qwen3Family();

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("hidden_act", "silu", "silu");
        fields.refuseTrue("use_sliding_window", "set it to false");
        return ModelConfig.standard(architecture, fields, false);
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        boolean bias = config.attentionBias();
        LlamaLayout.declare(config, shapes, (prefix, layer) -> {
            layer.add(prefix + "input_layernorm.weight", config.hiddenSize());
            LlamaLayout.declareAttention(config, layer, prefix, bias, bias);
            layer.add(prefix + "self_attn.q_norm.weight", config.headDim());
            layer.add(prefix + "self_attn.k_norm.weight", config.headDim());
            layer.add(prefix + "post_attention_layernorm.weight", config.hiddenSize());
            LlamaLayout.declareMlp(config, layer, prefix, false);
        });
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        boolean bias = config.attentionBias();
        return LlamaLayout.rmsNormParts(config, weights, i -> {
            String prefix = LlamaLayout.layer(i);
            QueryKeyNorms norms = LlamaLayout.queryKeyNorms(weights, prefix, eps, true);
            return DecoderLayer.preNorm(RmsNorm.load(weights, prefix + "input_layernorm.weight", eps),
                    LlamaLayout.attention(i, config, weights, bias, bias, norms),
                    RmsNorm.load(weights, prefix + "post_attention_layernorm.weight", eps),
                    LlamaLayout.mlp(weights, prefix, false, ActivationFunction.SILU));
        });
    }
}
