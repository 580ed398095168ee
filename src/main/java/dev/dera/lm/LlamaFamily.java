package dev.dera.lm;

/**
 * Llama, Mistral and Qwen2: pre-norm blocks of RMSNorm, attention with rotary embeddings, SwiGLU MLP. Mistral
 * adds a sliding window on every layer; Qwen2 has biases on q/k/v; Llama has attention_bias (q/k/v/o) and
 * mlp_bias flags and rope scaling (linear, llama3).
 */
final class LlamaFamily implements Family {
    static final LlamaFamily INSTANCE = new LlamaFamily();

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("hidden_act", "silu", "silu");
        ModelConfig config = ModelConfig.standard(architecture, fields, false);
        switch (architecture) {
            case MISTRAL:
                int window = fields.intOr("sliding_window", 0);
                return config.withWindow(window, ModelConfig.everyLayer(config.numLayers(), window > 0));
            case QWEN2:
                fields.refuseTrue("use_sliding_window", "set it to false");
                return config.withAttentionBias(true);
            default:
                return config;
        }
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        LlamaLayout.declare(config, shapes, (prefix, layer) -> {
            layer.add(prefix + "input_layernorm.weight", config.hiddenSize());
            LlamaLayout.declareAttention(config, layer, prefix, config.attentionBias(), outputBias(config));
            layer.add(prefix + "post_attention_layernorm.weight", config.hiddenSize());
            LlamaLayout.declareMlp(config, layer, prefix, config.mlpBias());
        });
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        return LlamaLayout.rmsNormParts(config, weights, i -> {
            String prefix = LlamaLayout.layer(i);
            return DecoderLayer.preNorm(RmsNorm.load(weights, prefix + "input_layernorm.weight", eps),
                    LlamaLayout.attention(i, config, weights, config.attentionBias(), outputBias(config),
                            QueryKeyNorms.NONE),
                    RmsNorm.load(weights, prefix + "post_attention_layernorm.weight", eps),
                    LlamaLayout.mlp(weights, prefix, config.mlpBias(), ActivationFunction.SILU));
        });
    }

    /** Llama's attention_bias covers o_proj too; Qwen2's q/k/v biases do not. */
    private static boolean outputBias(ModelConfig config) {
        return config.attentionBias() && config.architecture() != Architecture.QWEN2;
    }
}
