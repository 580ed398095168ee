package dev.dera.lm;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The parts of a Hugging Face config.json that a Llama-family forward pass needs, validated.
 *
 * @param slidingWindow attention window in positions (Mistral), or 0 for full attention
 * @param ropeScalingFactor linear RoPE position scaling (1 when config.json has no rope_scaling)
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
        double rmsNormEps,
        double ropeTheta,
        double ropeScalingFactor,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int slidingWindow) {

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
        if (headDim % 2 != 0) {
            throw new ModelConfigException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0) || !(ropeScalingFactor > 0)) {
            throw new ModelConfigException("rms_norm_eps, rope_theta and the rope scaling factor must be positive");
        }
    }

    /** Reads and validates {@code dir/config.json}. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        return fromJson(JsonFiles.readObject(file), file);
    }

    /** Validates the content of a config.json; {@code file} names it in errors. */
    public static ModelConfig fromJson(JsonObject json, Path file) {
        Architecture architecture = architectureOf(json, file);
        String act = JsonFiles.isPresent(json, "hidden_act") ? json.get("hidden_act").getAsString() : "silu";
        if (!act.equals("silu")) {
            throw new ModelConfigException(file + ": hidden_act \"" + act + "\" is not supported; supported: silu");
        }
        int hidden = JsonFiles.requireInt(json, "hidden_size", file);
        int heads = JsonFiles.requireInt(json, "num_attention_heads", file);
        boolean bias = architecture == Architecture.QWEN2 || JsonFiles.boolOr(json, "attention_bias", false);
        return new ModelConfig(
                architecture,
                hidden,
                JsonFiles.requireInt(json, "intermediate_size", file),
                JsonFiles.requireInt(json, "num_hidden_layers", file),
                heads,
                JsonFiles.intOr(json, "num_key_value_heads", heads, file),
                JsonFiles.intOr(json, "head_dim", heads > 0 ? hidden / heads : 0, file),
                JsonFiles.requireInt(json, "vocab_size", file),
                JsonFiles.requireInt(json, "max_position_embeddings", file),
                JsonFiles.doubleOr(json, "rms_norm_eps", 1e-6, file),
                JsonFiles.doubleOr(json, "rope_theta", 10000.0, file),
                ropeScalingFactor(json, file),
                JsonFiles.boolOr(json, "tie_word_embeddings", false),
                bias,
                slidingWindow(json, architecture, file));
    }

    /** Number of query heads that share one key/value head. */
    public int queriesPerKvHead() {
        return numHeads / numKvHeads;
    }

    private static Architecture architectureOf(JsonObject json, Path file) {
        if (!JsonFiles.isPresent(json, "architectures") || !json.get("architectures").isJsonArray()) {
            throw new ModelConfigException(file + " lacks \"architectures\"; supported: " + Architecture.supportedNames());
        }
        JsonArray names = json.getAsJsonArray("architectures");
        if (names.size() != 1) {
            throw new ModelConfigException(file + ": expected exactly one entry in \"architectures\", got " + names);
        }
        return Architecture.fromHfClassName(names.get(0).getAsString());
    }

    private static double ropeScalingFactor(JsonObject json, Path file) {
        if (!JsonFiles.isPresent(json, "rope_scaling")) {
            return 1.0;
        }
        JsonObject scaling = json.getAsJsonObject("rope_scaling");
        String key = scaling.has("rope_type") ? "rope_type" : "type";
        String type = scaling.has(key) ? scaling.get(key).getAsString() : "";
        switch (type) {
            case "default":
                return 1.0;
            case "linear":
                return JsonFiles.doubleOr(scaling, "factor", 1.0, file);
            default:
                throw new ModelConfigException(file + ": rope_scaling type \"" + type
                        + "\" is not supported; supported: none, default, linear");
        }
    }

    private static int slidingWindow(JsonObject json, Architecture architecture, Path file) {
        if (architecture == Architecture.QWEN2 && JsonFiles.boolOr(json, "use_sliding_window", false)) {
            throw new ModelConfigException(file + ": Qwen2 use_sliding_window=true is not supported; set it to false");
        }
        return architecture == Architecture.MISTRAL ? JsonFiles.intOr(json, "sliding_window", 0, file) : 0;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new ModelConfigException("config.json: \"" + field + "\" must be positive, got " + value);
        }
    }
}
