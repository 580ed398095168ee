package dev.dera.decode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prompts prefilled together, in chunks of slots, whose rows then wait for free rows of a {@link ContinuousBatch}:
 * each prompt is prefilled once per model and its KV cache and logits are copied to all of its rows.
 */
final class PrefillGroup implements AutoCloseable {
    private final NDManager manager;
    private final PromptBatch batch;
    private final PairCache cache;
    private final List<DecodeRow> rows = new ArrayList<>();
    private final int[] promptOfRow;
    private PairLogits logits;
    private int prefilledSlots;
    private int admitted;

    PrefillGroup(ModelPair models, NDManager parent, List<List<DecodeRow>> rowsByPrompt) {
        List<int[]> prompts = new ArrayList<>();
        List<Integer> promptIndices = new ArrayList<>();
        for (List<DecodeRow> promptRows : rowsByPrompt) {
            prompts.add(promptRows.get(0).request.promptIds());
            for (DecodeRow row : promptRows) {
                rows.add(row);
                promptIndices.add(prompts.size() - 1);
            }
        }
        promptOfRow = promptIndices.stream().mapToInt(Integer::intValue).toArray();
        batch = new PromptBatch(prompts);
        manager = parent.newSubManager();
        cache = models.newCache(manager, prompts.size(), batch.length());
    }

    boolean prefilled() {
        return prefilledSlots == batch.length();
    }

    /** Prefills the next chunk: as many slots as {@code tokenBudget} tokens allow, at least one; returns its tokens. */
    int prefill(ModelPair models, int tokenBudget) {
        int slots = Math.max(1, tokenBudget / batch.prompts());
        int to = (int) Math.min(batch.length(), (long) prefilledSlots + slots);
        boolean last = to == batch.length();
        try (NDManager chunk = manager.newSubManager()) {
            PairLogits chunkLogits = models.extend(batch.tokenIds(chunk, prefilledSlots, to),
                    batch.positions(chunk, prefilledSlots, to), cache, last ? manager : chunk);
            if (last) {
                logits = chunkLogits;
            }
        }
        int tokens = (to - prefilledSlots) * batch.prompts();
        prefilledSlots = to;
        return tokens;
    }

    /** Rows not yet admitted. */
    int waiting() {
        return rows.size() - admitted;
    }

    long vocabularySize() {
        return logits.vocabularySize();
    }

    /**
     * Admits waiting rows into the given released rows of a batch: their prompts' keys, values and next-token logits
     * go to those rows of {@code target} and {@code targetLogits}. Returns the admitted rows, in the order of
     * {@code freeRows}.
     */
    List<DecodeRow> admitInto(int[] freeRows, PairCache target, PairLogits targetLogits) {
        int count = Math.min(freeRows.length, waiting());
        int[] targetRows = Arrays.copyOf(freeRows, count);
        int[] sourceRows = Arrays.copyOfRange(promptOfRow, admitted, admitted + count);
        target.admit(targetRows, cache, sourceRows);
        try (NDScope scope = new NDScope()) {
            targetLogits.setRows(manager.create(toLongs(targetRows)), logits, manager.create(toLongs(sourceRows)));
        }
        List<DecodeRow> joined = List.copyOf(rows.subList(admitted, admitted + count));
        admitted += count;
        return joined;
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }

    static long[] toLongs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }
}
