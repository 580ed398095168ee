package dev.dera.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.decode.ModelPair;
import dev.dera.decode.PairCache;
import dev.dera.decode.PairLogits;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import dev.dera.realign.Sampler;
import dev.dera.realign.SamplingParams;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** One model, or a model pair, with a batch of prefilled rows, ready to take timed decode steps. */
final class StepHarness implements AutoCloseable {
    private final LanguageModel model;
    private final ModelPair pair;
    private final NDManager manager;
    private final KvCache cache;
    private final PairCache pairCache;
    private final long[] nextTokens;

    /** Prefills {@code rows} random prompts of {@code promptLength} tokens with room for {@code steps} steps. */
    StepHarness(LanguageModel model, int rows, int promptLength, int steps) {
        this(model, null, model.manager(), model.config().vocabSize(), rows, promptLength, steps);
    }

    /** The same for both models of a pair, stepped together as the decoder steps them. */
    StepHarness(ModelPair pair, int rows, int promptLength, int steps) {
        this(null, pair, pair.manager(), pair.config().vocabSize(), rows, promptLength, steps);
    }

    private StepHarness(LanguageModel model, ModelPair pair, NDManager parent, int vocab, int rows, int promptLength,
            int steps) {
        this.model = model;
        this.pair = pair;
        this.manager = parent.newSubManager();
        SplittableRandom random = new SplittableRandom(rows * 31L + promptLength);
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
        int capacity = promptLength + steps;
        cache = model == null ? null : model.newCache(manager, rows, capacity);
        pairCache = pair == null ? null : pair.newCache(manager, rows, capacity);
        try (NDManager prefill = manager.newSubManager()) {
            if (model != null) {
                model.prefill(prefill.create(ids), prefill.create(mask), cache, prefill);
            } else {
                pair.prefill(prefill.create(ids), prefill.create(mask), pairCache, prefill);
            }
        }
    }

    /** One decode step of the model for every row; the logits belong to {@code scope}. */
    NDArray step(NDManager scope) {
        return model.step(scope.create(nextTokens), cache, scope);
    }

    /** One decode step of the pair for every row; the logits belong to {@code scope}. */
    PairLogits pairStep(NDManager scope) {
        return pair.step(scope.create(nextTokens), pairCache, scope);
    }

    /** One plain single-model step: the step, a draw with the given sampling and its copy to the host. */
    long[] sampledStep(NDManager scope, List<SamplingParams> params, double[] uniforms) {
        return Sampler.sample(step(scope), params, uniforms).toLongArray();
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
        if (pairCache != null) {
            pairCache.close();
        }
        manager.close();
    }
}
