package dev.dera.decode;

import dev.dera.lm.TextTokenizer;

/**
 * A row's completion text as it grows token by token, and where a stop string first appears in it. The text
 * reads as Hugging Face's decode of prompt + completion minus the prompt's text. A character whose bytes are split
 * over several tokens (byte fallback, byte-level BPE) reads as U+FFFD until its last byte arrives, so those
 * trailing replacement characters are scanned again when the next token arrives: a stop string is found in the
 * step that completes it, across token boundaries and multi-byte characters alike.
 */
final class CompletionText {
    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private final Prompt prompt;
    private final StopConditions stop;
    private int settledLength;
    private int stopStringAt = -1;

    CompletionText(TextTokenizer tokenizer, Prompt prompt, StopConditions stop) {
        this.tokenizer = tokenizer;
        this.prompt = prompt;
        this.stop = stop;
    }

    /** A prompt's ids and, once decoded, its text: shared by the prompt's rows, so it is decoded once per prompt. */
    static final class Prompt {
        private final int[] ids;
        private String text;

        Prompt(int[] ids) {
            this.ids = ids;
        }

        private String text(TextTokenizer tokenizer) {
            if (text == null) {
                text = tokenizer.decode(ids);
            }
            return text;
        }
    }

    /**
     * Whether a stop string appears in the text of {@code completion}, which extends the completion of the previous
     * call by the newest tokens; looks only where those tokens can have completed one.
     */
    boolean endsAtStopString(int[] completion) {
        String text = decode(completion);
        int from = Math.max(0, settledLength - stop.longestStopString() + 1);
        settledLength = settledLength(text);
        stopStringAt = stop.firstStopString(text, from);
        return stopStringAt >= 0;
    }

    /** The text of {@code completion}, cut before the stop string found by {@link #endsAtStopString}, if any. */
    String text(int[] completion) {
        String text = decode(completion);
        return stopStringAt >= 0 ? text.substring(0, stopStringAt) : text;
    }

    /** The prompt's text is decoded once per prompt, not per row or at every stop-string check. */
    private String decode(int[] completion) {
        return tokenizer.decodeCompletion(prompt.ids, prompt.text(tokenizer), completion);
    }

    /** Length of the text without its trailing replacement characters, which later tokens may still complete. */
    private static int settledLength(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == REPLACEMENT) {
            end--;
        }
        return end;
    }
}
