package dev.dera.lm;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 2: (1 + w) RMSNorms before and after both attention and MLP, embeddings scaled by sqrt(hidden), a GeGLU
 * MLP (tanh GELU), scores scaled by query_pre_attn_scalar and soft-capped, logits soft-capped, and sliding-window
 * layers alternating with global ones.
 */
final class Gemma2Family implements Family {
    static final Gemma2Family INSTANCE = new Gemma2Family();

    @Override
    public ModelConfig config(Architecture architecture, ConfigFields fields) {
        fields.oneOf("hidden_activation", "gelu_pytorch_tanh", "gelu_pytorch_tanh");
        ModelConfig config = ModelConfig.standard(architecture, fields, true);
        return config.withWindow(fields.intOr("sliding_window", 4096), slidingLayers(fields, config.numLayers()))
                .withScores(fields.doubleOr("query_pre_attn_scalar", 256), cap(fields, "attn_logit_softcapping", 50),
                        cap(fields, "final_logit_softcapping", 30));
    }

    @Override
    public void declare(ModelConfig config, TensorShapes shapes) {
        long hidden = config.hiddenSize();
        boolean bias = config.attentionBias();
        LlamaLayout.declare(config, shapes, (prefix, layer) -> {
            layer.add(prefix + "input_layernorm.weight", hidden);
            LlamaLayout.declareAttention(config, layer, prefix, bias, bias);
            layer.add(prefix + "post_attention_layernorm.weight", hidden);
            layer.add(prefix + "pre_feedforward_layernorm.weight", hidden);
            LlamaLayout.declareMlp(config, layer, prefix, false);
            layer.add(prefix + "post_feedforward_layernorm.weight", hidden);
        });
    }

    @Override
    public Parts build(ModelConfig config, WeightSource weights) {
        double eps = config.normEps();
        boolean bias = config.attentionBias();
        Embedding embedding = Embedding.scaled(weights.load(LlamaLayout.EMBEDDING), Math.sqrt(config.hiddenSize()));
        return LlamaLayout.parts(config, weights, embedding,
                RmsNorm.loadUnitOffset(weights, LlamaLayout.FINAL_NORM, eps), i -> {
                    String prefix = LlamaLayout.layer(i);
                    return new DecoderLayer(RmsNorm.loadUnitOffset(weights, prefix + "input_layernorm.weight", eps),
                            LlamaLayout.attention(i, config, weights, bias, bias, QueryKeyNorms.NONE),
                            RmsNorm.loadUnitOffset(weights, prefix + "post_attention_layernorm.weight", eps),
                            RmsNorm.loadUnitOffset(weights, prefix + "pre_feedforward_layernorm.weight", eps),
                            LlamaLayout.mlp(weights, prefix, false, ActivationFunction.GELU_TANH),
                            RmsNorm.loadUnitOffset(weights, prefix + "post_feedforward_layernorm.weight", eps));
                });
    }

    /** layer_types, or Gemma 2's default: even layers slide, odd layers attend globally. */
    private static List<Boolean> slidingLayers(ConfigFields fields, int layers) {
        List<Boolean> sliding = new ArrayList<>();
        if (!fields.has("layer_types")) {
            for (int i = 0; i < layers; i++) {
                sliding.add(i % 2 == 0);
            }
            return sliding;
        }
        for (JsonElement type : fields.raw("layer_types").getAsJsonArray()) {
            String name = type.getAsString();
            if (!name.equals("sliding_attention") && !name.equals("full_attention")) {
                throw fields.error("layer_types entry \"" + name + "\" is not supported; supported:"
                        + " sliding_attention, full_attention");
            }
            sliding.add(name.equals("sliding_attention"));
        }
        return sliding;
    }

    /** A soft cap: the default when the key is absent, none (0) when it is null. */
    private static double cap(ConfigFields fields, String key, double fallback) {
        return fields.raw(key) == null ? fallback : fields.doubleOr(key, 0);
    }
}
