package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dera.lm.GenerationConfig;
import dev.dera.lm.TextTokenizer;
import dev.dera.testing.ZooModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stop strings with real vocabularies: the row stops in the step whose token completes the stop string, as a
 * search of the whole decoded text at every step finds it, also when the stop string spans tokens and when it
 * holds a character whose bytes arrive in separate tokens (Mistral's byte fallback, Qwen3's byte-level BPE).
 */
class CompletionTextTest {
    private static final String PROMPT = "Once upon a time";
    private static TextTokenizer mistral;
    private static TextTokenizer qwen3;

    @BeforeAll
    static void load() {
        mistral = tokenizer(ZooModels.reference("llama"));
        qwen3 = tokenizer(ZooModels.reference("qwen3"));
    }

    @AfterAll
    static void close() {
        mistral.close();
        qwen3.close();
    }

    private static TextTokenizer tokenizer(Path dir) {
        return TextTokenizer.load(dir, GenerationConfig.load(dir));
    }

    @Test
    void stopStringSpanningTokens() {
        for (TextTokenizer tokenizer : List.of(mistral, qwen3)) {
            assertStopsWhereTheStopStringIsComplete(tokenizer, " there were bananas aplenty", "nas apl", false);
        }
    }

    @Test
    void stopStringWithACharacterSplitOverByteFallbackTokens() {
        assertStopsWhereTheStopStringIsComplete(mistral, " a llama 🦙 smiled", "🦙", true);
        assertStopsWhereTheStopStringIsComplete(mistral, " a llama 🦙 smiled", "a 🦙 s", true);
    }

    @Test
    void stopStringWithACharacterSplitOverByteLevelTokens() {
        assertStopsWhereTheStopStringIsComplete(qwen3, " the rare 𠜎 glyph", "𠜎", true);
        assertStopsWhereTheStopStringIsComplete(qwen3, " the rare 𠜎 glyph", "e 𠜎 g", true);
    }

    @Test
    void noStopStringKeepsTheWholeText() {
        int[] completion = completionIds(mistral, " a llama 🦙 smiled");
        CompletionText text = new CompletionText(mistral, new CompletionText.Prompt(mistral.encode(PROMPT)),
                stopAt("zebra"));
        for (int k = 1; k <= completion.length; k++) {
            assertEquals(false, text.endsAtStopString(Arrays.copyOf(completion, k)));
        }
        assertEquals(" a llama 🦙 smiled", text.text(completion));
    }

    /**
     * Feeds the completion token by token and compares with a search of the whole text at every step.
     *
     * @param splitCharacter the case is meant to split a character over tokens: checked, so the test stays meaningful
     */
    private static void assertStopsWhereTheStopStringIsComplete(TextTokenizer tokenizer, String completionText,
            String stop, boolean splitCharacter) {
        int[] promptIds = tokenizer.encode(PROMPT);
        int[] completion = completionIds(tokenizer, completionText);
        int expectedStep = -1;
        boolean sawPartialCharacter = false;
        for (int k = 1; k <= completion.length && expectedStep < 0; k++) {
            String text = tokenizer.decodeCompletion(promptIds, Arrays.copyOf(completion, k));
            sawPartialCharacter |= text.endsWith("\uFFFD");
            expectedStep = text.contains(stop) ? k : -1;
        }
        assertTrue(expectedStep > 0, "the stop string must occur in the completion");
        assertEquals(splitCharacter, sawPartialCharacter, "a character split over tokens before the stop");

        CompletionText text = new CompletionText(tokenizer, new CompletionText.Prompt(promptIds), stopAt(stop));
        int step = 0;
        boolean stopped = false;
        while (!stopped && step < completion.length) {
            step++;
            stopped = text.endsAtStopString(Arrays.copyOf(completion, step));
        }
        assertEquals(expectedStep, step, "step that completes \"" + stop + "\"");
        String full = tokenizer.decodeCompletion(promptIds, Arrays.copyOf(completion, step));
        assertEquals(full.substring(0, full.indexOf(stop)), text.text(Arrays.copyOf(completion, step)));
    }

    /** The ids that follow the prompt's in the encoding of prompt + completion text. */
    private static int[] completionIds(TextTokenizer tokenizer, String completionText) {
        int[] promptIds = tokenizer.encode(PROMPT);
        int[] all = tokenizer.encode(PROMPT + completionText);
        assertArrayEquals(promptIds, Arrays.copyOf(all, promptIds.length), "prompt ids are a prefix");
        int[] completion = Arrays.copyOfRange(all, promptIds.length, all.length);
        assertEquals(completionText, tokenizer.decodeCompletion(promptIds, completion));
        return completion;
    }

    private static StopConditions stopAt(String stop) {
        return new StopConditions(64, Set.of(), List.of(stop));
    }
}
