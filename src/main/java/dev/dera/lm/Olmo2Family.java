package dev.dera.lm;

/**
 * OLMo 2: no norm before attention or MLP but one after each (inside the residual branch), and RMSNorms over the
 * whole projected queries and keys, before they split into heads.
 */
final class Olmo2Family implements Family {
    static final Olmo2Family INSTANCE = new Olmo2Family();

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("hidden_act", "silu", "silu");
        return ModelConfig.standard(architecture, fields, false);
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        boolean bias = config.attentionBias();
        LlamaLayout.declare(config, shapes, (prefix, layer) -> {
            LlamaLayout.declareAttention(config, layer, prefix, bias, bias);
            layer.add(prefix + "self_attn.q_norm.weight", (long) config.numHeads() * config.headDim());
            layer.add(prefix + "self_attn.k_norm.weight", (long) config.numKvHeads() * config.headDim());
            layer.add(prefix + "post_attention_layernorm.weight", config.hiddenSize());
            LlamaLayout.declareMlp(config, layer, prefix, false);
            layer.add(prefix + "post_feedforward_layernorm.weight", config.hiddenSize());
        });
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        boolean bias = config.attentionBias();
        return LlamaLayout.rmsNormParts(config, weights, i -> {
            String prefix = LlamaLayout.layer(i);
            QueryKeyNorms norms = LlamaLayout.queryKeyNorms(weights, prefix, eps, false);
            return new DecoderLayer(Norm.NONE, LlamaLayout.attention(i, config, weights, bias, bias, norms),
                    RmsNorm.load(weights, prefix + "post_attention_layernorm.weight", eps), Norm.NONE,
                    LlamaLayout.mlp(weights, prefix, false, ActivationFunction.SILU),
                    RmsNorm.load(weights, prefix + "post_feedforward_layernorm.weight", eps));
        });
    }
}
