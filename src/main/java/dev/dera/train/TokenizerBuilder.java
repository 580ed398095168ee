package dev.dera.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a word-level Hugging Face tokenizer from a corpus and writes it as {@code tokenizer.json},
 * {@code tokenizer_config.json} and {@code special_tokens_map.json}.
 *
 * <p>Design: SentencePiece-style pieces. A Metaspace pre-tokenizer turns every space into "▁" and splits before
 * it, so each word becomes "▁word"; a Punctuation pre-tokenizer then isolates punctuation ("," "." "!" "?" "'")
 * as pieces of its own without "▁". The WordLevel model maps each piece to an id (unknown pieces to
 * {@code <unk>}), and the Metaspace decoder turns "▁" back into spaces, dropping the first one. A
 * TemplateProcessing post-processor puts {@code <s>} in front of every encoding when special tokens are added.
 *
 * <p>With DJL's {@code HuggingFaceTokenizer}: {@code encode(text)} adds {@code <s>} (option
 * {@code addSpecialTokens}, default true; DJL ignores {@code add_bos_token} in tokenizer_config.json, which is
 * written for other Hugging Face clients); {@code decode(ids, true)} drops special tokens, while
 * {@code decode(ids)} keeps them. DJL truncates to {@code model_max_length} (512) unless told otherwise.
 */
public final class TokenizerBuilder {

    /** Id 0: the unknown token. */
    public static final String UNK = "<unk>";
    /** Id 1: the beginning-of-sequence token. */
    public static final String BOS = "<s>";
    /** Id 2: the end-of-sequence token. */
    public static final String EOS = "</s>";

    /** Id of {@link #BOS}. */
    public static final int BOS_ID = 1;
    /** Id of {@link #EOS}. */
    public static final int EOS_ID = 2;

    private static final List<String> SPECIAL_TOKENS = List.of(UNK, BOS, EOS);
    private static final String WORD_START = "▁";
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final int MODEL_MAX_LENGTH = 512;
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private final List<String> vocabulary;

    private TokenizerBuilder(List<String> vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * Builds the vocabulary: the three special tokens, then the corpus pieces from most to least frequent (ties
     * in string order), as many as fit in {@code maxVocab}.
     */
    public static TokenizerBuilder build(List<String> corpus, int maxVocab) {
        if (maxVocab <= SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("maxVocab must exceed " + SPECIAL_TOKENS.size() + ", got " + maxVocab);
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String text : corpus) {
            for (String piece : pieces(text)) {
                counts.merge(piece, 1, Integer::sum);
            }
        }
        List<String> vocabulary = new ArrayList<>(SPECIAL_TOKENS);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(maxVocab - SPECIAL_TOKENS.size())
                .forEach(entry -> vocabulary.add(entry.getKey()));
        return new TokenizerBuilder(List.copyOf(vocabulary));
    }

    /**
     * Splits text into pieces exactly as the written tokenizer's pre-tokenizers do, for text whose words are
     * separated by single spaces: "Tom's kite." gives "▁Tom", "'", "s", "▁kite", ".".
     */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : text.split(" ", -1)) {
            StringBuilder current = new StringBuilder(WORD_START);
            for (char c : word.toCharArray()) {
                if (isPunctuation(c)) {
                    if (!current.isEmpty()) {
                        pieces.add(current.toString());
                        current.setLength(0);
                    }
                    pieces.add(String.valueOf(c));
                } else {
                    current.append(c);
                }
            }
            if (!current.isEmpty()) {
                pieces.add(current.toString());
            }
        }
        return pieces;
    }

    private static boolean isPunctuation(char c) {
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> ASCII_PUNCTUATION.indexOf(c) >= 0;
        };
    }

    /** The tokens in id order: id i is {@code vocabulary().get(i)}. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** Number of tokens, special tokens included. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into {@code dir} (created). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("tokenizer.json"), tokenizerJson());
        writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfigJson());
        writeJson(dir.resolve("special_tokens_map.json"), specialTokensMapJson());
    }

    private static void writeJson(Path file, JsonElement json) throws IOException {
        Files.writeString(file, GSON.toJson(json) + "\n", StandardCharsets.UTF_8);
    }

    private JsonObject tokenizerJson() {
        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", JsonNull.INSTANCE);
        json.add("padding", JsonNull.INSTANCE);
        json.add("added_tokens", addedTokens());
        json.add("normalizer", JsonNull.INSTANCE);
        json.add("pre_tokenizer", preTokenizer());
        json.add("post_processor", bosPostProcessor());
        json.add("decoder", metaspace());
        json.add("model", wordLevelModel());
        return json;
    }

    private static JsonArray addedTokens() {
        JsonArray tokens = new JsonArray();
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            JsonObject token = new JsonObject();
            token.addProperty("id", id);
            token.addProperty("content", SPECIAL_TOKENS.get(id));
            token.addProperty("single_word", false);
            token.addProperty("lstrip", false);
            token.addProperty("rstrip", false);
            token.addProperty("normalized", false);
            token.addProperty("special", true);
            tokens.add(token);
        }
        return tokens;
    }

    private static JsonObject preTokenizer() {
        JsonObject punctuation = new JsonObject();
        punctuation.addProperty("type", "Punctuation");
        punctuation.addProperty("behavior", "Isolated");
        JsonArray steps = new JsonArray();
        steps.add(metaspace());
        steps.add(punctuation);
        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        sequence.add("pretokenizers", steps);
        return sequence;
    }

    /** Metaspace settings, shared by the pre-tokenizer and the decoder so that they always agree. */
    private static JsonObject metaspace() {
        JsonObject metaspace = new JsonObject();
        metaspace.addProperty("type", "Metaspace");
        metaspace.addProperty("replacement", WORD_START);
        metaspace.addProperty("prepend_scheme", "first");
        metaspace.addProperty("split", true);
        return metaspace;
    }

    /** Puts {@code <s>} before each sequence, as Llama tokenizers do. */
    private static JsonObject bosPostProcessor() {
        JsonObject processor = new JsonObject();
        processor.addProperty("type", "TemplateProcessing");
        processor.add("single", template(0));
        processor.add("pair", pairTemplate());
        JsonObject specialTokens = new JsonObject();
        specialTokens.add(BOS, specialToken());
        processor.add("special_tokens", specialTokens);
        return processor;
    }

    private static JsonArray template(int typeId) {
        JsonArray template = new JsonArray();
        template.add(templatePiece("SpecialToken", BOS, typeId));
        template.add(templatePiece("Sequence", typeId == 0 ? "A" : "B", typeId));
        return template;
    }

    private static JsonArray pairTemplate() {
        JsonArray pair = template(0);
        pair.addAll(template(1));
        return pair;
    }

    private static JsonObject templatePiece(String kind, String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject piece = new JsonObject();
        piece.add(kind, inner);
        return piece;
    }

    private static JsonObject specialToken() {
        JsonArray ids = new JsonArray();
        ids.add(BOS_ID);
        JsonArray tokens = new JsonArray();
        tokens.add(BOS);
        JsonObject token = new JsonObject();
        token.addProperty("id", BOS);
        token.add("ids", ids);
        token.add("tokens", tokens);
        return token;
    }

    private JsonObject wordLevelModel() {
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.addProperty(vocabulary.get(id), id);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "WordLevel");
        model.add("vocab", vocab);
        model.addProperty("unk_token", UNK);
        return model;
    }

    private static JsonObject tokenizerConfigJson() {
        JsonObject config = specialTokensMapJson();
        config.addProperty("add_bos_token", true);
        config.addProperty("add_eos_token", false);
        config.addProperty("model_max_length", MODEL_MAX_LENGTH);
        config.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
        config.addProperty("clean_up_tokenization_spaces", false);
        return config;
    }

    private static JsonObject specialTokensMapJson() {
        JsonObject map = new JsonObject();
        map.addProperty("bos_token", BOS);
        map.addProperty("eos_token", EOS);
        map.addProperty("unk_token", UNK);
        return map;
    }
}
