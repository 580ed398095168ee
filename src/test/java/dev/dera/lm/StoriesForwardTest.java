package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.testing.SharedModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** KV-cache and padding equalities on the real stories260K model. */
class StoriesForwardTest {
    private static final double TOLERANCE = 1e-4;
    private static LanguageModel model;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(SharedModels.reference());
        tokenizer = TextTokenizer.load(SharedModels.reference(), model.config(), model.generation());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        model.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 17, 40})
    void cachedDecodingEqualsRecomputation(int split) {
        int[] tokens = tokenizer.encode("Once upon a time, there was a little girl named Lily. She loved to play"
                + " outside in the park with her big red ball and her little dog Max.");
        assertTrue(tokens.length > 40);
        double deviation = ForwardChecks.cachedVersusRecomputed(model, tokens, split);
        assertTrue(deviation <= TOLERANCE, "max |logit difference| " + deviation);
    }

    @Test
    void leftPaddedBatchEqualsEachPromptAlone() {
        List<int[]> prompts = List.of(
                tokenizer.encode("Once upon a time"),
                tokenizer.encode("The dog ran to the big tree in the garden and"),
                tokenizer.encode(""),
                tokenizer.encode("Lily's mom said"));
        double deviation = ForwardChecks.batchedVersusAlone(model, prompts, new int[] {432, 383, 286, 261, 376});
        assertTrue(deviation <= TOLERANCE, "max |logit difference| " + deviation);
    }
}
