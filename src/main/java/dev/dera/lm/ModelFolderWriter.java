package dev.dera.lm;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dera.lm.safetensors.SafetensorsWriter;
import dev.dera.lm.safetensors.SafetensorsWriter.WritableTensor;
import dev.dera.lm.safetensors.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Hugging Face model folder (config.json, generation_config.json, model.safetensors) that
 * {@link LanguageModel#load} reads back: for the project's own models and for tests.
 */
public final class ModelFolderWriter {
    private ModelFolderWriter() {}

    /**
     * Writes the folder; {@code weights} must hold exactly the tensors of {@link TensorLayout#shapes}, each as
     * float32 values in row-major order, stored as {@code storedAs}.
     */
    public static void write(Path dir, ModelConfig config, GenerationConfig generation, Map<String, float[]> weights,
            TensorDType storedAs) {
        Map<String, long[]> layout = TensorLayout.shapes(config);
        if (!layout.keySet().equals(weights.keySet())) {
            throw new IllegalArgumentException("weights do not match the layout of the config: expected "
                    + layout.keySet() + ", got " + weights.keySet());
        }
        Map<String, WritableTensor> tensors = new TreeMap<>();
        layout.forEach((name, shape) -> tensors.put(name, WritableTensor.ofFloats(storedAs, shape, weights.get(name))));
        try {
            Files.createDirectories(dir);
            writeJson(dir.resolve(ModelConfig.FILE_NAME), configJson(config, generation));
            writeJson(dir.resolve("generation_config.json"), generationJson(generation));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model folder " + dir, e);
        }
    }

    /** config.json as Hugging Face writes it for this architecture (Llama, Mistral or Qwen2). */
    static JsonObject configJson(ModelConfig config, GenerationConfig generation) {
        if (config.architecture().family() != LlamaFamily.INSTANCE) {
            throw new IllegalArgumentException("writes Llama, Mistral and Qwen2 folders only, not "
                    + config.architecture().hfClassName());
        }
        JsonObject json = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add(config.architecture().hfClassName());
        json.add("architectures", architectures);
        json.addProperty("model_type", config.architecture().name().toLowerCase(Locale.ROOT));
        json.addProperty("hidden_size", config.hiddenSize());
        json.addProperty("intermediate_size", config.intermediateSize());
        json.addProperty("num_hidden_layers", config.numLayers());
        json.addProperty("num_attention_heads", config.numHeads());
        json.addProperty("num_key_value_heads", config.numKvHeads());
        json.addProperty("head_dim", config.headDim());
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("max_position_embeddings", config.maxPositions());
        json.addProperty("rms_norm_eps", config.normEps());
        json.addProperty("rope_theta", config.rope().theta());
        if (config.rope().scaling() != Rope.Scaling.DEFAULT) {
            json.add("rope_scaling", ropeScalingJson(config.rope()));
        }
        json.addProperty("hidden_act", "silu");
        json.addProperty("tie_word_embeddings", config.tieWordEmbeddings());
        if (config.architecture() == Architecture.LLAMA) {
            json.addProperty("attention_bias", config.attentionBias());
            json.addProperty("mlp_bias", config.mlpBias());
        }
        if (config.architecture() == Architecture.MISTRAL && config.slidingWindow() > 0) {
            json.addProperty("sliding_window", config.slidingWindow());
        }
        if (generation.bosTokenId() >= 0) {
            json.addProperty("bos_token_id", generation.bosTokenId());
        }
        json.addProperty("torch_dtype", "float32");
        return json;
    }

    private static JsonObject ropeScalingJson(Rope rope) {
        JsonObject scaling = new JsonObject();
        scaling.addProperty("rope_type", rope.scaling().name().toLowerCase(Locale.ROOT));
        scaling.addProperty("factor", rope.factor());
        if (rope.scaling() == Rope.Scaling.LLAMA3) {
            scaling.addProperty("low_freq_factor", rope.lowFreqFactor());
            scaling.addProperty("high_freq_factor", rope.highFreqFactor());
            scaling.addProperty("original_max_position_embeddings", rope.originalMaxPositions());
        }
        return scaling;
    }

    private static JsonObject generationJson(GenerationConfig generation) {
        JsonObject json = new JsonObject();
        if (generation.bosTokenId() >= 0) {
            json.addProperty("bos_token_id", generation.bosTokenId());
        }
        JsonArray eos = new JsonArray();
        generation.eosTokenIds().stream().sorted().forEach(eos::add);
        json.add("eos_token_id", eos);
        return json;
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json);
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    }

    /** Copies the tokenizer files of {@code from} (those present) into {@code to}. */
    public static void copyTokenizer(Path from, Path to) {
        for (String name : Arrays.asList("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            Path source = from.resolve(name);
            if (Files.exists(source)) {
                try {
                    Files.createDirectories(to);
                    Files.copy(source, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy " + source, e);
                }
            }
        }
    }
}
