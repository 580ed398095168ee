package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** The distinct prompts of a decode, left-padded into one prefill batch. */
final class PromptBatch {
    private final long[][] tokenIds;
    private final long[][] attentionMask;

    PromptBatch(List<int[]> prompts) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        tokenIds = new long[prompts.size()][longest];
        attentionMask = new long[prompts.size()][longest];
        for (int r = 0; r < prompts.size(); r++) {
            int[] prompt = prompts.get(r);
            int padding = longest - prompt.length;
            for (int i = 0; i < prompt.length; i++) {
                tokenIds[r][padding + i] = prompt[i];
                attentionMask[r][padding + i] = 1;
            }
        }
    }

    /** Slots per row (the longest prompt). */
    int length() {
        return tokenIds.length == 0 ? 0 : tokenIds[0].length;
    }

    NDArray tokenIds(NDManager manager) {
        return manager.create(tokenIds);
    }

    NDArray attentionMask(NDManager manager) {
        return manager.create(attentionMask);
    }
}
