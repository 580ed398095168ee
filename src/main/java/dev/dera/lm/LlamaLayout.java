package dev.dera.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The "model.*" tensor layout that Llama and most later families share (embed_tokens, layers.N.self_attn.q_proj,
 * mlp.gate_proj, norm, lm_head): names, shapes, and the standard blocks built from them.
 */
final class LlamaLayout {
    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String FINAL_NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";

    private LlamaLayout() {}

    static String layer(int index) {
        return "model.layers." + index + ".";
    }

    /** The embedding, each layer's tensors as {@code perLayer} declares them, the final norm, lm_head unless tied. */
    static void declare(ModelConfig config, TensorShapes shapes, BiConsumer<String, TensorShapes> perLayer) {
        shapes.add(EMBEDDING, config.vocabSize(), config.hiddenSize());
        for (int i = 0; i < config.numLayers(); i++) {
            perLayer.accept(layer(i), shapes);
        }
        shapes.add(FINAL_NORM, config.hiddenSize());
        if (!config.tieWordEmbeddings()) {
            shapes.add(LM_HEAD, config.vocabSize(), config.hiddenSize());
        }
    }

    /** self_attn.{q,k,v}_proj (weights, then biases if any) and self_attn.o_proj. */
    static void declareAttention(ModelConfig config, TensorShapes shapes, String prefix, boolean qkvBias,
            boolean outputBias) {
        long hidden = config.hiddenSize();
        long queryWidth = (long) config.numHeads() * config.headDim();
        long kvWidth = (long) config.numKvHeads() * config.headDim();
        shapes.add(prefix + "self_attn.q_proj.weight", queryWidth, hidden);
        shapes.add(prefix + "self_attn.k_proj.weight", kvWidth, hidden);
        shapes.add(prefix + "self_attn.v_proj.weight", kvWidth, hidden);
        if (qkvBias) {
            shapes.add(prefix + "self_attn.q_proj.bias", queryWidth);
            shapes.add(prefix + "self_attn.k_proj.bias", kvWidth);
            shapes.add(prefix + "self_attn.v_proj.bias", kvWidth);
        }
        shapes.add(prefix + "self_attn.o_proj.weight", hidden, queryWidth);
        if (outputBias) {
            shapes.add(prefix + "self_attn.o_proj.bias", hidden);
        }
    }

    /** mlp.{gate,up,down}_proj, with biases when {@code bias}. */
    static void declareMlp(ModelConfig config, TensorShapes shapes, String prefix, boolean bias) {
        long hidden = config.hiddenSize();
        long intermediate = config.intermediateSize();
        shapes.add(prefix + "mlp.gate_proj.weight", intermediate, hidden);
        shapes.add(prefix + "mlp.up_proj.weight", intermediate, hidden);
        shapes.add(prefix + "mlp.down_proj.weight", hidden, intermediate);
        if (bias) {
            shapes.add(prefix + "mlp.gate_proj.bias", intermediate);
            shapes.add(prefix + "mlp.up_proj.bias", intermediate);
            shapes.add(prefix + "mlp.down_proj.bias", hidden);
        }
    }

    /** The attention of layer {@code index} over q/k/v/o projections stored apart (q/k/v fused where it can). */
    static Attention attention(int index, ModelConfig config, WeightSource weights, boolean qkvBias,
            boolean outputBias, QueryKeyNorms norms) {
        String prefix = layer(index) + "self_attn.";
        QueryKeyValue projections = QueryKeyValue.load(weights, prefix, qkvBias,
                (long) config.numHeads() * config.headDim(), (long) config.numKvHeads() * config.headDim());
        return new Attention(index, config, projections, Linear.load(weights, prefix + "o_proj", outputBias), norms,
                true);
    }

    static Mlp mlp(WeightSource weights, String prefix, boolean bias, ActivationFunction activation) {
        return Mlp.loadGated(weights, prefix, bias, activation);
    }

    /** The model around {@code layer}'s blocks: embedding, the final norm, the (possibly tied) lm_head. */
    static Family.Parts parts(ModelConfig config, WeightSource weights, Embedding embedding, Norm finalNorm,
            IntFunction<DecoderLayer> layer) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(layer.apply(i));
        }
        var output = config.tieWordEmbeddings() ? embedding.table() : weights.load(LM_HEAD);
        return new Family.Parts(embedding, layers, finalNorm, output.swapAxes(-1, -2));
    }

    /** {@link #parts} with a plain embedding and a plain RMSNorm at the top. */
    static Family.Parts rmsNormParts(ModelConfig config, WeightSource weights, IntFunction<DecoderLayer> layer) {
        return parts(config, weights, Embedding.of(weights.load(EMBEDDING)),
                RmsNorm.load(weights, FINAL_NORM, config.normEps()), layer);
    }

    /** The RMSNorms self_attn.q_norm and k_norm of a layer, per head or over the whole projection. */
    static QueryKeyNorms queryKeyNorms(WeightSource weights, String prefix, double eps, boolean perHead) {
        return new QueryKeyNorms(RmsNorm.load(weights, prefix + "self_attn.q_norm.weight", eps),
                RmsNorm.load(weights, prefix + "self_attn.k_norm.weight", eps), perHead);
    }
}
