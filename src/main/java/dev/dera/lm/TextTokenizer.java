package dev.dera.lm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A model folder's tokenizer.json through DJL's Hugging Face tokenizers, with BOS handling from
 * tokenizer_config.json and completion decoding that keeps the completion's leading space.
 */
public final class TextTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final int bosTokenId;
    private final int vocabularySize;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int bosTokenId, int vocabularySize) {
        this.tokenizer = tokenizer;
        this.bosTokenId = bosTokenId;
        this.vocabularySize = vocabularySize;
    }

    /** Loads {@code dir/tokenizer.json}; fails if its vocabulary does not fit the model's embedding. */
    public static TextTokenizer load(Path dir, ModelConfig config, GenerationConfig generation) {
        checkFiles(dir, config, generation);
        return load(dir, generation);
    }

    /** Loads {@code dir/tokenizer.json} alone, for work that needs no model (e.g. checking prompts on a driver). */
    public static TextTokenizer load(Path dir, GenerationConfig generation) {
        Path file = dir.resolve("tokenizer.json");
        int vocabularySize = vocabularySizeOf(JsonFiles.readObject(file));
        boolean addBos = requireBosId(dir, generation);
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, OPTIONS);
            return new TextTokenizer(tokenizer, addBos ? generation.bosTokenId() : -1, vocabularySize);
        } catch (IOException | RuntimeException e) {
            throw new ModelConfigException("cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of the text, starting with BOS when the tokenizer config asks for it. */
    public int[] encode(String text) {
        int[] ids = encodeRendered(text);
        if (bosTokenId < 0) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = bosTokenId;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /**
     * Token ids of a chat template's rendered text, which already holds the special tokens it needs: no BOS is
     * added (as Hugging Face's apply_chat_template encodes).
     */
    public int[] encodeRendered(String text) {
        return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    /** Text of the ids, special tokens skipped. */
    public String decode(int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }

    /**
     * Text of a completion such that decode(prompt) + completion reads as decode(prompt + completion): the leading
     * space that decoders strip at the start of a text is kept.
     */
    public String decodeCompletion(int[] promptIds, int[] completionIds) {
        return decodeCompletion(promptIds, decode(promptIds), completionIds);
    }

    /** {@link #decodeCompletion(int[], int[])} for a caller that keeps {@code promptText = decode(promptIds)}. */
    public String decodeCompletion(int[] promptIds, String promptText, int[] completionIds) {
        int[] all = Arrays.copyOf(promptIds, promptIds.length + completionIds.length);
        System.arraycopy(completionIds, 0, all, promptIds.length, completionIds.length);
        String full = decode(all);
        return full.startsWith(promptText) ? full.substring(promptText.length()) : decode(completionIds);
    }

    /** Number of ids the tokenizer can produce (highest id + 1). */
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Checks, from the files alone, that the tokenizer fits the model's vocabulary and has the BOS id it asks for;
     * returns its vocabulary size.
     */
    static int checkFiles(Path dir, ModelConfig config, GenerationConfig generation) {
        Path file = dir.resolve("tokenizer.json");
        int vocabularySize = vocabularySizeOf(JsonFiles.readObject(file));
        if (vocabularySize > config.vocabSize()) {
            throw new ModelConfigException(file + " has " + vocabularySize + " tokens but config.json's vocab_size is "
                    + config.vocabSize());
        }
        requireBosId(dir, generation);
        return vocabularySize;
    }

    /** Whether the tokenizer config asks for a BOS token; fails when it does and no BOS id is known. */
    private static boolean requireBosId(Path dir, GenerationConfig generation) {
        boolean addBos = JsonFiles.readOptionalObject(dir.resolve("tokenizer_config.json"))
                .map(c -> JsonFiles.boolOr(c, "add_bos_token", false))
                .orElse(false);
        if (addBos && generation.bosTokenId() < 0) {
            throw new ModelConfigException(dir + ": tokenizer_config.json sets add_bos_token but no bos_token_id is known");
        }
        return addBos;
    }

    private static int vocabularySizeOf(JsonObject json) {
        int maxId = -1;
        JsonObject model = json.getAsJsonObject("model");
        JsonElement vocab = model == null ? null : model.get("vocab");
        if (vocab != null && vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : vocab.getAsJsonObject().entrySet()) {
                maxId = Math.max(maxId, entry.getValue().getAsInt());
            }
        } else if (vocab != null && vocab.isJsonArray()) {
            maxId = vocab.getAsJsonArray().size() - 1;
        }
        if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
            for (JsonElement token : json.getAsJsonArray("added_tokens")) {
                maxId = Math.max(maxId, token.getAsJsonObject().get("id").getAsInt());
            }
        }
        return maxId + 1;
    }
}
