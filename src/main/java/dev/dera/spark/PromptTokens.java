package dev.dera.spark;

import dev.dera.decode.ModelPair;
import java.util.Arrays;

/**
 * Prompt text (or a chat template's rendered text) to token ids for the job, with the job's rules for bad prompts: null or empty text and tokenizer
 * failures are errors; a prompt with no room left in the context is an error, or with {@code prompt.truncate =
 * left} keeps its last tokens (and its leading BOS) so that max_new_tokens fit.
 */
final class PromptTokens {
    /** Token ids, or an error message for the prompt's error rows. */
    record Outcome(int[] ids, int tokenCount, String error) {
        static Outcome error(int tokenCount, String message) {
            return new Outcome(null, tokenCount, message);
        }
    }

    private final ModelPair models;
    private final int context;
    private final int maxNewTokens;
    private final boolean truncateLeft;

    PromptTokens(ModelPair models, TaskSettings settings) {
        this.models = models;
        this.context = models.contextLength();
        this.maxNewTokens = settings.decode().maxNewTokens();
        this.truncateLeft = settings.truncateLeft();
    }

    /**
     * Token ids of a prompt; {@code rendered} for text a chat template rendered, which holds its special tokens
     * already and is encoded without adding any.
     */
    Outcome tokenize(String prompt, boolean rendered) {
        if (prompt == null) {
            return Outcome.error(0, "prompt is null");
        }
        if (prompt.isEmpty()) {
            return Outcome.error(0, "prompt is empty");
        }
        int[] ids;
        try {
            ids = rendered ? models.tokenizer().encodeRendered(prompt) : models.tokenizer().encode(prompt);
        } catch (RuntimeException e) {
            return Outcome.error(0, "tokenizer failed: " + e);
        }
        if (truncateLeft && ids.length + maxNewTokens > context) {
            return new Outcome(keepLast(ids, Math.max(1, context - maxNewTokens)), ids.length, null);
        }
        if (ids.length >= context) {
            return Outcome.error(ids.length, "prompt has " + ids.length + " tokens; the model's context of " + context
                    + " leaves no room to generate (prompt.truncate = left keeps the last tokens instead)");
        }
        return new Outcome(ids, ids.length, null);
    }

    private int[] keepLast(int[] ids, int keep) {
        int bos = models.generation().bosTokenId();
        if (bos >= 0 && ids[0] == bos && keep > 1) {
            int[] kept = new int[keep];
            kept[0] = bos;
            System.arraycopy(ids, ids.length - (keep - 1), kept, 1, keep - 1);
            return kept;
        }
        return Arrays.copyOfRange(ids, ids.length - keep, ids.length);
    }
}
