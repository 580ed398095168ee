package dev.dera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dera.lm.KvCache;
import dev.dera.lm.LanguageModel;
import java.util.List;

/**
 * Log-probabilities of the scored tokens of a batch of sequences under a model, through the model's own batched
 * prefill (right-padded rows, a fresh KV cache as long as the batch). Differentiable when the model's weights
 * require gradients and a gradient collector is open.
 */
public final class SequenceScorer {

    private SequenceScorer() {
    }

    /**
     * Sum over each sequence's scored tokens of log p(token | preceding tokens).
     *
     * @return [sequences] float32, owned by {@code manager}
     */
    public static NDArray sequenceLogProbs(LanguageModel model, List<ScoredSequence> sequences, NDManager manager) {
        return tokenLogProbs(model, sequences, manager).sum(new int[] {1});
    }

    /**
     * Log-probability of every next token, 0 where the token is padding or not scored.
     *
     * @return [sequences, longest - 1] float32, owned by {@code manager}
     */
    public static NDArray tokenLogProbs(LanguageModel model, List<ScoredSequence> sequences, NDManager manager) {
        int longest = sequences.stream().mapToInt(s -> s.ids().length).max().orElseThrow();
        if (longest > model.config().maxPositions()) {
            throw new IllegalArgumentException("a sequence of " + longest + " tokens exceeds the model's context of "
                    + model.config().maxPositions());
        }
        long[][] ids = new long[sequences.size()][longest];
        long[][] attention = new long[sequences.size()][longest];
        float[][] scored = new float[sequences.size()][longest - 1];
        for (int row = 0; row < sequences.size(); row++) {
            ScoredSequence sequence = sequences.get(row);
            for (int t = 0; t < sequence.ids().length; t++) {
                ids[row][t] = sequence.ids()[t];
                attention[row][t] = 1;
                if (t >= sequence.scoredFrom()) {
                    scored[row][t - 1] = 1f;
                }
            }
        }
        NDArray tokenIds = manager.create(ids);
        NDArray logits;
        try (KvCache cache = model.newCache(manager, sequences.size(), longest)) {
            logits = model.prefillAllLogits(tokenIds, manager.create(attention), cache, manager);
        }
        NDArray predictions = logits.get(new NDIndex(":, :-1, :")).logSoftmax(-1);
        NDArray targets = tokenIds.get(new NDIndex(":, 1:")).expandDims(2);
        NDArray logProbs = predictions.gather(targets, 2).squeeze(2);
        return logProbs.mul(manager.create(scored)).toType(DataType.FLOAT32, false);
    }
}
