package dev.dera.lm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Hugging Face tensor names of the Llama layout and the shape config.json implies for each. */
public final class TensorLayout {
    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String FINAL_NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";

    private TensorLayout() {}

    /** Every tensor a model with this config needs, in a stable order, with its [dims] shape. */
    public static Map<String, long[]> shapes(ModelConfig config) {
        long hidden = config.hiddenSize();
        long vocab = config.vocabSize();
        long queryWidth = (long) config.numHeads() * config.headDim();
        long kvWidth = (long) config.numKvHeads() * config.headDim();
        long intermediate = config.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(EMBEDDING, new long[] {vocab, hidden});
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = layerPrefix(i);
            shapes.put(prefix + "input_layernorm.weight", new long[] {hidden});
            shapes.put(prefix + "self_attn.q_proj.weight", new long[] {queryWidth, hidden});
            shapes.put(prefix + "self_attn.k_proj.weight", new long[] {kvWidth, hidden});
            shapes.put(prefix + "self_attn.v_proj.weight", new long[] {kvWidth, hidden});
            if (config.attentionBias()) {
                shapes.put(prefix + "self_attn.q_proj.bias", new long[] {queryWidth});
                shapes.put(prefix + "self_attn.k_proj.bias", new long[] {kvWidth});
                shapes.put(prefix + "self_attn.v_proj.bias", new long[] {kvWidth});
            }
            shapes.put(prefix + "self_attn.o_proj.weight", new long[] {hidden, queryWidth});
            shapes.put(prefix + "post_attention_layernorm.weight", new long[] {hidden});
            shapes.put(prefix + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
            shapes.put(prefix + "mlp.up_proj.weight", new long[] {intermediate, hidden});
            shapes.put(prefix + "mlp.down_proj.weight", new long[] {hidden, intermediate});
        }
        shapes.put(FINAL_NORM, new long[] {hidden});
        if (!config.tieWordEmbeddings()) {
            shapes.put(LM_HEAD, new long[] {vocab, hidden});
        }
        return Collections.unmodifiableMap(shapes);
    }

    static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }
}
