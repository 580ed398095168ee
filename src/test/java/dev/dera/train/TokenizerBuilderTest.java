package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerBuilderTest {

    private static final int MAX_VOCAB = 1024;
    private static final int ROUND_TRIP_STORIES = 2_000;
    private static final List<String> FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    @TempDir
    static Path dir;
    private static List<String> corpus;
    private static TokenizerBuilder builder;
    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void buildAndLoad() throws IOException {
        corpus = StoryCorpus.generateMixed(1, StoryCorpus.DEFAULT_STORIES);
        builder = TokenizerBuilder.build(corpus, MAX_VOCAB);
        builder.write(dir.resolve("built"));
        tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("built"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void corpusStoriesAndPromptsRoundTripWithoutUnknownTokens() {
        List<String> texts = Stream.concat(corpus.stream().limit(ROUND_TRIP_STORIES),
                StoryCorpus.prompts(1, StoryCorpus.DEFAULT_PROMPTS).stream()).toList();
        for (String text : texts) {
            long[] ids = tokenizer.encode(text).getIds();
            assertFalse(LongStream.of(ids).anyMatch(id -> id == 0), "<unk> in: " + text);
            assertEquals(text, tokenizer.decode(ids, true));
        }
    }

    @Test
    void encodingStartsWithBosAndDecodingSkipsSpecialTokens() {
        long[] ids = tokenizer.encode("Once upon a time").getIds();
        assertEquals(5, ids.length, Arrays.toString(ids));
        assertEquals(1, ids[0]);

        long[] withEos = LongStream.concat(LongStream.of(ids), LongStream.of(2)).toArray();
        assertEquals("Once upon a time", tokenizer.decode(withEos, true));
    }

    @Test
    void specialTokensHaveLlamaIds() {
        assertEquals(List.of("<unk>", "<s>", "</s>"), builder.vocabulary().subList(0, 3));
    }

    @Test
    void punctuationIsItsOwnTokenWithoutWordMarker() {
        Encoding encoding = tokenizer.encode("Lily's kite was shiny!", false, false);
        assertArrayEquals(new String[] {"▁Lily", "'", "s", "▁kite", "▁was", "▁shiny", "!"}, encoding.getTokens());
    }

    @Test
    void javaPiecesMatchTheWrittenPreTokenizer() {
        for (String story : corpus.subList(0, 200)) {
            assertEquals(TokenizerBuilder.pieces(story), List.of(tokenizer.encode(story, false, false).getTokens()));
        }
    }

    @Test
    void vocabularyStaysWithinTheLimit() throws IOException {
        assertTrue(builder.vocabSize() <= MAX_VOCAB, "vocab " + builder.vocabSize());

        TokenizerBuilder small = TokenizerBuilder.build(corpus, 50);
        small.write(dir.resolve("small"));
        try (HuggingFaceTokenizer smallTokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("small"))) {
            assertEquals(50, small.vocabSize());
            assertTrue(LongStream.of(smallTokenizer.encode(corpus.get(0)).getIds()).anyMatch(id -> id == 0));
        }
        assertThrows(IllegalArgumentException.class, () -> TokenizerBuilder.build(corpus, 3));
    }

    @Test
    void sameCorpusWritesByteIdenticalFiles() throws IOException {
        TokenizerBuilder.build(List.copyOf(corpus), MAX_VOCAB).write(dir.resolve("again"));
        for (String file : FILES) {
            assertEquals(-1, Files.mismatch(dir.resolve("built").resolve(file), dir.resolve("again").resolve(file)),
                    file);
        }
    }

    @Test
    void configDeclaresBosAndSpecialTokens() throws IOException {
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("built/tokenizer_config.json")))
                .getAsJsonObject();
        assertTrue(config.get("add_bos_token").getAsBoolean());
        assertEquals("<s>", config.get("bos_token").getAsString());
        assertEquals("</s>", config.get("eos_token").getAsString());
        assertEquals("<unk>", config.get("unk_token").getAsString());
    }
}
