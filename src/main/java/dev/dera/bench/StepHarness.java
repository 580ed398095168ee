package dev.dera.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import dev.dera.realign.Sampler;
import dev.dera.realign.SamplingParams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** One model with a batch of prefilled rows, ready to take timed decode steps. */
final class StepHarness implements AutoCloseable {
    private final LanguageModel model;
    private final NDManager manager;
    private final KvCache cache;
    private final long[] nextTokens;

    /** Prefills {@code rows} random prompts of {@code promptLength} tokens with room for {@code steps} steps. */
    StepHarness(LanguageModel model, int rows, int promptLength, int steps) {
        this.model = model;
        this.manager = model.manager().newSubManager();
        this.cache = model.newCache(manager, rows, promptLength + steps);
        SplittableRandom random = new SplittableRandom(rows * 31L + promptLength);
        int vocab = model.config().vocabSize();
        long[][] ids = new long[rows][promptLength];
        long[][] mask = new long[rows][promptLength];
        for (long[] row : ids) {
            Arrays.setAll(row, i -> random.nextInt(vocab));
        }
        for (long[] row : mask) {
            Arrays.fill(row, 1L);
        }
        nextTokens = new long[rows];
        Arrays.setAll(nextTokens, i -> random.nextInt(vocab));
        try (NDManager prefill = manager.newSubManager()) {
            model.prefill(prefill.create(ids), prefill.create(mask), cache, prefill);
        }
    }

    /** One decode step for every row; the logits belong to {@code scope}. */
    NDArray step(NDManager scope) {
        return model.step(scope.create(nextTokens), cache, scope);
    }

    /** One plain single-model step: the step, a draw with the given sampling and its copy to the host. */
    long[] sampledStep(NDManager scope, List<SamplingParams> params, double[] uniforms) {
        return Sampler.sample(step(scope), params, uniforms).toLongArray();
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
