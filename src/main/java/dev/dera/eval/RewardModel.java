package dev.dera.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.dera.lm.ComputeType;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelConfigException;
import dev.dera.lm.TextTokenizer;
import dev.dera.lm.safetensors.Checkpoint;
import dev.dera.lm.safetensors.SafetensorsFile;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.lm.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face sequence-classification reward model ({@code LlamaForSequenceClassification},
 * {@code MistralForSequenceClassification}, {@code Qwen2ForSequenceClassification}): the causal backbone's
 * final-normed hidden state at each sequence's last non-padding token, times {@code score.weight}
 * [num_labels = 1, hidden]. Sequences are right-padded with config.json's {@code pad_token_id}; as in Hugging Face,
 * the score is read at the last token that is not {@code pad_token_id}.
 */
public final class RewardModel implements AutoCloseable {
    static final String SCORE = "score.weight";
    private static final Set<TensorDType> FLOAT_TYPES = Set.of(TensorDType.F32, TensorDType.F16, TensorDType.BF16);
    private static final Map<String, String> BACKBONES = Map.of(
            "LlamaForSequenceClassification", "LlamaForCausalLM",
            "MistralForSequenceClassification", "MistralForCausalLM",
            "Qwen2ForSequenceClassification", "Qwen2ForCausalLM");

    private final LanguageModel backbone;
    private final TextTokenizer tokenizer;
    private final NDArray scoreT;
    private final int padTokenId;

    private RewardModel(LanguageModel backbone, TextTokenizer tokenizer, NDArray scoreT, int padTokenId) {
        this.backbone = backbone;
        this.tokenizer = tokenizer;
        this.scoreT = scoreT;
        this.padTokenId = padTokenId;
    }

    /** Loads a reward model folder on the CPU in float32; fails with one line naming what to fix. */
    public static RewardModel load(Path dir) {
        Path file = dir.resolve(ModelConfig.FILE_NAME);
        JsonObject json = readConfig(file);
        String architecture = architectureOf(json, file);
        JsonObject backboneJson = json.deepCopy();
        JsonArray causal = new JsonArray();
        causal.add(BACKBONES.get(architecture));
        backboneJson.add("architectures", causal);
        backboneJson.addProperty("tie_word_embeddings", true);
        ModelConfig config = ModelConfig.fromJson(backboneJson, file);
        int labels = labelCount(json);
        if (labels != 1) {
            throw new ModelConfigException(file + " declares " + labels + " labels; a reward model has exactly one"
                    + " (num_labels = 1)");
        }
        float[] score = readScore(dir, config.hiddenSize());
        int padTokenId = json.has("pad_token_id") && !json.get("pad_token_id").isJsonNull()
                ? json.get("pad_token_id").getAsInt() : -1;
        LanguageModel backbone = LanguageModel.load(dir, config, Device.cpu(), ComputeType.FLOAT32);
        try {
            TextTokenizer tokenizer = TextTokenizer.load(dir, config, GenerationConfig.load(dir));
            NDArray scoreT = backbone.manager().create(score, new Shape(1, config.hiddenSize())).transpose();
            return new RewardModel(backbone, tokenizer, scoreT, padTokenId);
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /** The reward of each prompt followed by its completion, as one text; the front is cut to fit the context. */
    public float[] scoreTexts(List<String> prompts, List<String> completions) {
        int context = backbone.config().maxPositions();
        List<int[]> sequences = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] ids = tokenizer.encode(prompts.get(i) + completions.get(i));
            sequences.add(ids.length > context ? Arrays.copyOfRange(ids, ids.length - context, ids.length) : ids);
        }
        return score(sequences);
    }

    /** The reward of each token sequence, scored as one right-padded batch. */
    public float[] score(List<int[]> sequences) {
        int rows = sequences.size();
        if (rows == 0) {
            return new float[0];
        }
        int longest = Math.max(1, sequences.stream().mapToInt(s -> s.length).max().orElseThrow());
        long[][] ids = new long[rows][longest];
        long[][] attention = new long[rows][longest];
        long[] last = new long[rows];
        for (int row = 0; row < rows; row++) {
            int[] sequence = sequences.get(row);
            Arrays.fill(ids[row], Math.max(padTokenId, 0));
            for (int t = 0; t < sequence.length; t++) {
                ids[row][t] = sequence[t];
                attention[row][t] = 1;
            }
            last[row] = lastScoredToken(sequence);
        }
        int hidden = backbone.config().hiddenSize();
        try (NDManager manager = backbone.manager().newSubManager();
                KvCache cache = backbone.newCache(manager, rows, longest)) {
            NDArray states = backbone.hiddenStates(manager.create(ids), manager.create(attention), cache, manager);
            NDArray at = manager.create(last).reshape(rows, 1, 1).broadcast(rows, 1, hidden);
            return states.gather(at, 1).reshape(rows, hidden).matMul(scoreT).toFloatArray();
        }
    }

    /** The last token that is not padding (the last token when none is declared or all are padding). */
    private int lastScoredToken(int[] sequence) {
        for (int t = sequence.length - 1; t >= 0; t--) {
            if (sequence[t] != padTokenId) {
                return t;
            }
        }
        return Math.max(sequence.length - 1, 0);
    }

    @Override
    public void close() {
        tokenizer.close();
        backbone.close();
    }

    private static JsonObject readConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigException(file + " does not exist; a reward model is a Hugging Face folder with"
                    + " config.json, model.safetensors and tokenizer.json");
        }
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file));
            if (!json.isJsonObject()) {
                throw new ModelConfigException(file + " is not a JSON object");
            }
            return json.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new ModelConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String architectureOf(JsonObject json, Path file) {
        JsonElement names = json.get("architectures");
        String name = names != null && names.isJsonArray() && names.getAsJsonArray().size() == 1
                ? names.getAsJsonArray().get(0).getAsString() : String.valueOf(names);
        if (!BACKBONES.containsKey(name)) {
            throw new ModelConfigException(file + ": architecture " + name + " is not a supported reward model;"
                    + " supported: " + String.join(", ", BACKBONES.keySet().stream().sorted().toList()));
        }
        return name;
    }

    /** num_labels, else the size of id2label, else Hugging Face's default of 2. */
    private static int labelCount(JsonObject json) {
        if (json.has("num_labels")) {
            return json.get("num_labels").getAsInt();
        }
        return json.has("id2label") && json.get("id2label").isJsonObject()
                ? json.getAsJsonObject("id2label").size() : 2;
    }

    private static float[] readScore(Path dir, int hidden) {
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            checkpoint.requireAll(List.of(SCORE));
            TensorInfo info = checkpoint.tensor(SCORE);
            if (!FLOAT_TYPES.contains(info.dtype())) {
                throw new ModelConfigException("tensor " + SCORE + " has dtype " + info.dtype() + "; supported: "
                        + FLOAT_TYPES);
            }
            if (!Arrays.equals(info.shape(), new long[] {1, hidden})) {
                throw new ModelConfigException("tensor " + SCORE + " has shape " + Arrays.toString(info.shape())
                        + " but config.json implies [1, " + hidden + "]");
            }
            return SafetensorsFile.toFloats(info.dtype(), checkpoint.read(SCORE));
        }
    }
}
