package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;

/** Equalities every architecture must satisfy: cached decoding equals recomputation, padding changes nothing. */
final class ForwardChecks {
    private ForwardChecks() {}

    /**
     * Largest |logit difference| between one prefill of all tokens and a prefill of the first {@code split}
     * tokens followed by one cached step per remaining token.
     */
    static double cachedVersusRecomputed(LanguageModel model, int[] tokens, int split) {
        try (NDManager manager = model.manager().newSubManager();
                KvCache fullCache = model.newCache(manager, 1, tokens.length);
                KvCache cache = model.newCache(manager, 1, tokens.length)) {
            NDArray full = model.prefillAllLogits(row(manager, tokens), ones(manager, tokens.length), fullCache, manager)
                    .get(0);
            int[] head = Arrays.copyOf(tokens, split);
            NDArray incremental = model.prefillAllLogits(row(manager, head), ones(manager, split), cache, manager)
                    .get(0);
            double worst = maxAbsDiff(full.get(new NDIndex(":{}", split)), incremental);
            for (int i = split; i < tokens.length; i++) {
                NDArray next = model.step(manager.create(new long[] {tokens[i]}), cache, manager).get(0);
                worst = Math.max(worst, maxAbsDiff(full.get(i), next));
            }
            return worst;
        }
    }

    /**
     * Largest |logit difference| between decoding prompts of different lengths in one left-padded batch and
     * decoding each alone, over the prefill and {@code steps} forced next tokens.
     */
    static double batchedVersusAlone(LanguageModel model, List<int[]> prompts, int[] forcedTokens) {
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int capacity = longest + forcedTokens.length;
        try (NDManager manager = model.manager().newSubManager();
                KvCache batchCache = model.newCache(manager, prompts.size(), capacity)) {
            long[][] ids = new long[prompts.size()][longest];
            long[][] mask = new long[prompts.size()][longest];
            for (int r = 0; r < prompts.size(); r++) {
                int[] prompt = prompts.get(r);
                for (int i = 0; i < prompt.length; i++) {
                    ids[r][longest - prompt.length + i] = prompt[i];
                    mask[r][longest - prompt.length + i] = 1;
                }
            }
            NDArray batchLogits = model.prefill(manager.create(ids), manager.create(mask), batchCache, manager);
            NDArray[] batchSteps = new NDArray[forcedTokens.length];
            for (int s = 0; s < forcedTokens.length; s++) {
                long[] step = new long[prompts.size()];
                Arrays.fill(step, forcedTokens[s]);
                batchSteps[s] = model.step(manager.create(step), batchCache, manager);
            }
            double worst = 0;
            for (int r = 0; r < prompts.size(); r++) {
                int[] prompt = prompts.get(r);
                try (KvCache alone = model.newCache(manager, 1, capacity)) {
                    NDArray logits = model.prefill(row(manager, prompt), ones(manager, prompt.length), alone, manager);
                    worst = Math.max(worst, maxAbsDiff(batchLogits.get(r), logits.get(0)));
                    for (int s = 0; s < forcedTokens.length; s++) {
                        NDArray next = model.step(manager.create(new long[] {forcedTokens[s]}), alone, manager);
                        worst = Math.max(worst, maxAbsDiff(batchSteps[s].get(r), next.get(0)));
                    }
                }
            }
            return worst;
        }
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return a.sub(b).abs().max().getFloat();
    }

    private static NDArray row(NDManager manager, int[] tokens) {
        return manager.create(Arrays.stream(tokens).asLongStream().toArray()).expandDims(0);
    }

    private static NDArray ones(NDManager manager, int length) {
        long[] mask = new long[length];
        Arrays.fill(mask, 1L);
        return manager.create(mask).expandDims(0);
    }
}
