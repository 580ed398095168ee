package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Greedy decoding of one prompt with one model: the plain path that the {@code complete} command and the model
 * conformance tests use. Realigned, batched decoding lives in the decoder.
 *
 * @param completionIds generated ids, the stopping eos id included
 * @param tokenLogprobs log-probability of each generated id under the model
 * @param finishReason "stop" (an eos id) or "length" (max_new_tokens or the context limit)
 */
public record GreedyCompletion(int[] completionIds, float[] tokenLogprobs, String finishReason) {

    /** Decodes greedily from {@code promptIds} for at most {@code maxNewTokens} tokens. */
    public static GreedyCompletion run(LanguageModel model, int[] promptIds, int maxNewTokens) {
        int budget = Math.min(maxNewTokens, model.config().maxPositions() - promptIds.length);
        if (budget < 0) {
            throw new IllegalArgumentException("prompt of " + promptIds.length + " tokens exceeds the context of "
                    + model.config().maxPositions());
        }
        int[] ids = new int[budget];
        float[] logprobs = new float[budget];
        try (NDManager decode = model.manager().newSubManager();
                KvCache cache = model.newCache(decode, 1, promptIds.length + budget)) {
            NDArray logits = prefill(model, decode, promptIds, cache);
            for (int n = 0; n < budget; n++) {
                try (NDManager stepScope = decode.newSubManager()) {
                    logits.attach(stepScope);
                    NDArray logProbabilities = logits.logSoftmax(-1);
                    int id = (int) logProbabilities.argMax(-1).toLongArray()[0];
                    ids[n] = id;
                    logprobs[n] = logProbabilities.getFloat(0, id);
                    if (model.generation().eosTokenIds().contains(id)) {
                        return new GreedyCompletion(Arrays.copyOf(ids, n + 1), Arrays.copyOf(logprobs, n + 1), "stop");
                    }
                    if (n + 1 < budget) {
                        logits = model.step(stepScope.create(new long[] {id}), cache, decode);
                    }
                }
            }
        }
        return new GreedyCompletion(ids, logprobs, "length");
    }

    private static NDArray prefill(LanguageModel model, NDManager manager, int[] promptIds, KvCache cache) {
        long[] ids = Arrays.stream(promptIds).asLongStream().toArray();
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        try (NDManager inputs = manager.newSubManager()) {
            return model.prefill(inputs.create(ids).expandDims(0), inputs.create(mask).expandDims(0), cache, manager);
        }
    }
}
