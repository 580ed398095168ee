package dev.dera.decode;

import ai.djl.Device;

/**
 * How a continuous batch admits work.
 *
 * @param maxActiveRows rows decoding at once: the batch's size and its KV cache's row count
 * @param maxPrefillPrompts most prompts prefilled together in one admission (one left-padded prefill call)
 * @param prefillChunkTokens prompt tokens (prompts x slots) prefilled per step while other rows decode: a long
 *     prompt is prefilled over several steps so that the decoding rows are not stalled for its whole prefill; with
 *     no row decoding a prefill runs whole
 * @param admission when waiting prompts join the batch
 */
public record BatchLimits(int maxActiveRows, int maxPrefillPrompts, int prefillChunkTokens, Admission admission) {
    /**
     * Rows per step on a CPU. A CPU step costs a small fixed part plus a part per row, so tokens/s still rise up to a
     * few hundred rows for small models (docs/BENCHMARKS.md); the KV cache's memory is bounded separately by
     * {@code batch.max_tokens}.
     */
    public static final int CPU_ACTIVE_ROWS = 256;
    /** Rows per step on a GPU, where a step's cost is mostly its kernel launches and weight reads, not its rows. */
    public static final int GPU_ACTIVE_ROWS = 1024;
    /** Prefill tokens per decode step; one prefill chunk costs about as much as a step of that many rows. */
    public static final int PREFILL_CHUNK_TOKENS = 512;
    /** Prompts per prefill call unless a caller says otherwise. */
    public static final int PREFILL_PROMPTS = 64;

    /** When waiting prompts are admitted. */
    public enum Admission {
        /** As soon as rows are free: continuous batching. */
        CONTINUOUS,
        /** Only when every row has finished: static micro-batches that drain, for comparison. */
        WHEN_EMPTY
    }

    public BatchLimits {
        if (maxActiveRows < 1 || maxPrefillPrompts < 1 || prefillChunkTokens < 1) {
            throw new IllegalArgumentException("batch limits must be positive, got max active rows " + maxActiveRows
                    + ", prefill prompts " + maxPrefillPrompts + ", prefill chunk tokens " + prefillChunkTokens);
        }
    }

    /** Continuous batching of at most {@code maxActiveRows} rows with the default prefill limits. */
    public static BatchLimits continuous(int maxActiveRows) {
        return new BatchLimits(maxActiveRows, PREFILL_PROMPTS, PREFILL_CHUNK_TOKENS, Admission.CONTINUOUS);
    }

    /**
     * The limits of a job's partition: {@code maxActiveRows} rows (0: the device's default), fewer where their KV
     * cache, each row holding the longest prompt plus {@code maxNewTokens} slots (at most the context), would pass
     * {@code maxCacheSlots}; at least one row, and at most {@code maxPrefillPrompts} prompts per prefill call.
     */
    public static BatchLimits forPartition(int maxActiveRows, long maxCacheSlots, int maxPrefillPrompts,
            int longestPrompt, int maxNewTokens, int contextLength, Device device) {
        int rows = maxActiveRows > 0 ? maxActiveRows : defaultActiveRows(device);
        long slotsPerRow = Math.max(1, Math.min(contextLength, (long) longestPrompt + maxNewTokens));
        int rowsInBudget = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxCacheSlots / slotsPerRow));
        return new BatchLimits(Math.min(rows, rowsInBudget), maxPrefillPrompts, PREFILL_CHUNK_TOKENS,
                Admission.CONTINUOUS);
    }

    /** The default number of active rows on a device. */
    public static int defaultActiveRows(Device device) {
        return device.isGpu() ? GPU_ACTIVE_ROWS : CPU_ACTIVE_ROWS;
    }

    /** The same limits with another admission policy. */
    public BatchLimits withAdmission(Admission policy) {
        return new BatchLimits(maxActiveRows, maxPrefillPrompts, prefillChunkTokens, policy);
    }
}
