package dev.dera.lm;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The parts of a Hugging Face config.json that a forward pass needs, validated; each family reads its own keys
 * (see {@link Family}).
 *
 * @param normEps epsilon of every norm (rms_norm_eps, or layer_norm_epsilon for GPT-2)
 * @param attentionBias the attention projections carry biases (which ones is the family's rule)
 * @param mlpBias the MLP projections carry biases (Llama's mlp_bias)
 * @param slidingWindow attention window in positions, or 0 for full attention everywhere
 * @param slidingLayers for each layer, whether it attends through the window (all true without per-layer types)
 * @param queryPreAttnScalar attention scores are scaled by its inverse square root (head_dim unless Gemma says)
 * @param attentionSoftCap attention scores pass through cap * tanh(score / cap), or 0 for none
 * @param finalSoftCap logits pass through cap * tanh(logit / cap), or 0 for none
 */
public record ModelConfig(
        Architecture architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        double normEps,
        Rope rope,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        int slidingWindow,
        List<Boolean> slidingLayers,
        double queryPreAttnScalar,
        double attentionSoftCap,
        double finalSoftCap) {

    public static final String FILE_NAME = "config.json";

    public ModelConfig {
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositions);
        if (numHeads % numKvHeads != 0) {
            throw new ModelConfigException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        int rotaryDim = rope.rotaryDim(headDim);
        if (rotaryDim <= 0 || rotaryDim % 2 != 0) {
            throw new ModelConfigException("the rotary part of head_dim must be even and positive, got " + rotaryDim
                    + " of " + headDim);
        }
        if (!(normEps > 0) || !(queryPreAttnScalar > 0) || attentionSoftCap < 0 || finalSoftCap < 0
                || slidingWindow < 0) {
            throw new ModelConfigException("the norm epsilon and query_pre_attn_scalar must be positive, soft caps"
                    + " and sliding_window not negative");
        }
        slidingLayers = List.copyOf(slidingLayers);
        if (slidingLayers.size() != numLayers) {
            throw new ModelConfigException("layer_types has " + slidingLayers.size() + " entries for " + numLayers
                    + " layers");
        }
    }

    /** A Llama-style config: full-head rotary with linear scaling, the same window on every layer, no caps. */
    public ModelConfig(Architecture architecture, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
            int numKvHeads, int headDim, int vocabSize, int maxPositions, double rmsNormEps, double ropeTheta,
            double ropeScalingFactor, boolean tieWordEmbeddings, boolean attentionBias, int slidingWindow) {
        this(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, vocabSize,
                maxPositions, rmsNormEps, Rope.linear(ropeTheta, ropeScalingFactor), tieWordEmbeddings,
                attentionBias, false, slidingWindow, everyLayer(numLayers, slidingWindow > 0), headDim, 0, 0);
    }

    /** Reads and validates {@code dir/config.json}. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        return fromJson(JsonFiles.readObject(file), file);
    }

    /** Validates the content of a config.json; {@code file} names it in errors. */
    public static ModelConfig fromJson(JsonObject json, Path file) {
        ConfigFields fields = new ConfigFields(json, file);
        Architecture architecture = Architecture.of(fields);
        if (fields.has("quantization_config")) {
            throw fields.error("quantized checkpoints (quantization_config) are not supported; use float weights");
        }
        return architecture.family().config(architecture, fields);
    }

    /**
     * The keys most families share (hidden_size, num_attention_heads, rms_norm_eps, rope_theta, rope_scaling, ...),
     * with full attention, no caps and no MLP bias.
     */
    static ModelConfig standard(Architecture architecture, ConfigFields fields, boolean tiedByDefault) {
        int hidden = fields.require("hidden_size");
        int heads = fields.require("num_attention_heads");
        int layers = fields.require("num_hidden_layers");
        int headDim = fields.intOr("head_dim", heads > 0 ? hidden / heads : 0);
        return new ModelConfig(architecture, hidden, fields.require("intermediate_size"), layers, heads,
                fields.intOr("num_key_value_heads", heads), headDim, fields.require("vocab_size"),
                fields.require("max_position_embeddings"), fields.doubleOr("rms_norm_eps", 1e-6),
                Rope.read(fields, 10000.0), fields.boolOr("tie_word_embeddings", tiedByDefault),
                fields.boolOr("attention_bias", false), fields.boolOr("mlp_bias", false), 0,
                everyLayer(layers, false), headDim, 0, 0);
    }

    /** This config with a sliding window on the layers marked true. */
    ModelConfig withWindow(int window, List<Boolean> layers) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, normEps, rope, tieWordEmbeddings, attentionBias, mlpBias, window, layers,
                queryPreAttnScalar, attentionSoftCap, finalSoftCap);
    }

    /** This config with Gemma's score scale and soft caps. */
    ModelConfig withScores(double queryScalar, double attentionCap, double finalCap) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, normEps, rope, tieWordEmbeddings, attentionBias, mlpBias, slidingWindow,
                slidingLayers, queryScalar, attentionCap, finalCap);
    }

    /** This config with attention biases on or off. */
    ModelConfig withAttentionBias(boolean bias) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, normEps, rope, tieWordEmbeddings, bias, mlpBias, slidingWindow,
                slidingLayers, queryPreAttnScalar, attentionSoftCap, finalSoftCap);
    }

    /**
     * The config of one stacked forward pass over models of configs {@code a} and {@code b}, or null when they
     * cannot stack. Every field shapes the forward pass (sizes, eps, rope, windows, soft caps), so they must be
     * equal, except tie_word_embeddings: where only one model ties, the stack unties and that model's lm_head is a
     * copy of its token embedding.
     */
    public static ModelConfig stackable(ModelConfig a, ModelConfig b) {
        if (a.equals(b)) {
            return a;
        }
        return a.untied().equals(b.untied()) ? a.untied() : null;
    }

    /** This config with an lm_head of its own. */
    ModelConfig untied() {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, normEps, rope, false, attentionBias, mlpBias, slidingWindow, slidingLayers,
                queryPreAttnScalar, attentionSoftCap, finalSoftCap);
    }

    /** Number of query heads that share one key/value head. */
    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    /** The attention window of a layer, or 0 for full attention. */
    public int windowOf(int layer) {
        return slidingLayers.get(layer) ? slidingWindow : 0;
    }

    static List<Boolean> everyLayer(int layers, boolean sliding) {
        return Collections.nCopies(Math.max(layers, 0), sliding);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new ModelConfigException("config.json: \"" + field + "\" must be positive, got " + value);
        }
    }
}
