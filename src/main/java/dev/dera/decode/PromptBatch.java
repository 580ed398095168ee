package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;

/** Prompts left-padded into one prefill batch, which runs whole or in chunks of slots. */
final class PromptBatch {
    private final long[][] tokenIds;
    private final long[][] positions;

    PromptBatch(List<int[]> prompts) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        tokenIds = new long[prompts.size()][longest];
        positions = new long[prompts.size()][longest];
        for (int r = 0; r < prompts.size(); r++) {
            int[] prompt = prompts.get(r);
            int padding = longest - prompt.length;
            Arrays.fill(positions[r], 0, padding, -1L);
            for (int i = 0; i < prompt.length; i++) {
                tokenIds[r][padding + i] = prompt[i];
                positions[r][padding + i] = i;
            }
        }
    }

    /** Prompts in the batch. */
    int prompts() {
        return tokenIds.length;
    }

    /** Slots per row (the longest prompt). */
    int length() {
        return tokenIds.length == 0 ? 0 : tokenIds[0].length;
    }

    /** Token ids of slots {@code from} (inclusive) to {@code to}, [prompts, to - from]. */
    NDArray tokenIds(NDManager manager, int from, int to) {
        return manager.create(columns(tokenIds, from, to));
    }

    /** Positions of slots {@code from} to {@code to}, -1 for padding. */
    NDArray positions(NDManager manager, int from, int to) {
        return manager.create(columns(positions, from, to));
    }

    private static long[][] columns(long[][] matrix, int from, int to) {
        return Arrays.stream(matrix).map(row -> Arrays.copyOfRange(row, from, to)).toArray(long[][]::new);
    }
}
