package dev.dera.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dera.lm.Architecture;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderWriter;
import dev.dera.lm.RandomWeights;
import dev.dera.lm.TensorLayout;
import dev.dera.lm.safetensors.SafetensorsWriter;
import dev.dera.lm.safetensors.SafetensorsWriter.WritableTensor;
import dev.dera.lm.safetensors.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random tiny LlamaForSequenceClassification with the embedded models' tokenizer, and its causal twin: the same
 * backbone with an untied lm_head whose row 0 is score.weight, so that the twin's logit 0 at a token is the reward
 * model's score there, computed through the language-model path.
 */
public final class TinyRewardModel {
    /** pad_token_id of the reward model: the tokenizer's EOS, as in many Llama reward models. */
    public static final int PAD = 2;
    private static final Path TOKENIZER = Path.of("models", "embedded", "reference");
    private static final GenerationConfig GENERATION = new GenerationConfig(Set.of(2), 1);

    private TinyRewardModel() {
    }

    static ModelConfig config(boolean tied) {
        return new ModelConfig(Architecture.LLAMA, 16, 40, 2, 4, 2, 4, 317, 64, 1e-5, 10000.0, 1.0, tied, false, 0);
    }

    /** Writes the reward model to {@code dir} and returns its score.weight. */
    public static float[] write(Path dir, long seed) throws IOException {
        ModelConfig config = config(true);
        Map<String, float[]> weights = RandomWeights.gaussian(config, seed);
        float[] score = new float[config.hiddenSize()];
        Random random = new Random(seed);
        for (int i = 0; i < score.length; i++) {
            score[i] = (float) random.nextGaussian();
        }
        ModelFolderWriter.write(dir, config, GENERATION, weights, TensorDType.F32);
        ModelFolderWriter.copyTokenizer(TOKENIZER, dir);
        Map<String, WritableTensor> tensors = new LinkedHashMap<>();
        TensorLayout.shapes(config).forEach((name, shape) ->
                tensors.put(name, WritableTensor.ofFloats(TensorDType.F32, shape, weights.get(name))));
        tensors.put("score.weight", WritableTensor.ofFloats(TensorDType.F32, new long[] {1, score.length}, score));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("LlamaForSequenceClassification");
        json.add("architectures", architectures);
        json.addProperty("pad_token_id", PAD);
        JsonObject labels = new JsonObject();
        labels.addProperty("0", "LABEL_0");
        json.add("id2label", labels);
        Files.writeString(dir.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json));
        return score;
    }

    /** Writes the causal twin of the reward model written with {@code seed}. */
    static void writeCausalTwin(Path dir, long seed, float[] score) {
        ModelConfig untied = config(false);
        Map<String, float[]> weights = new LinkedHashMap<>(RandomWeights.gaussian(config(true), seed));
        float[] head = new float[untied.vocabSize() * untied.hiddenSize()];
        System.arraycopy(score, 0, head, 0, score.length);
        weights.put("lm_head.weight", head);
        ModelFolderWriter.write(dir, untied, GENERATION, weights, TensorDType.F32);
    }
}
