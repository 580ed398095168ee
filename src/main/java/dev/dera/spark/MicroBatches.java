package dev.dera.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits prompts sorted by token length into micro-batches bounded by a token budget and a prompt count. A prompt
 * costs {@code rowsPerPrompt * (promptTokens + maxNewTokens)} tokens (its rows' KV cache slots); a prompt that
 * alone exceeds the budget gets a batch of its own.
 */
final class MicroBatches {
    private MicroBatches() {}

    /**
     * @param sortedLengths token counts in ascending order
     * @return the exclusive end index of each batch, in order
     */
    static List<Integer> ends(int[] sortedLengths, int rowsPerPrompt, int maxNewTokens, long maxTokens,
            int maxPrompts) {
        List<Integer> ends = new ArrayList<>();
        long tokens = 0;
        int prompts = 0;
        for (int i = 0; i < sortedLengths.length; i++) {
            long cost = (long) rowsPerPrompt * (sortedLengths[i] + maxNewTokens);
            if (prompts > 0 && (prompts == maxPrompts || tokens + cost > maxTokens)) {
                ends.add(i);
                tokens = 0;
                prompts = 0;
            }
            tokens += cost;
            prompts++;
        }
        if (prompts > 0) {
            ends.add(sortedLengths.length);
        }
        return ends;
    }
}
