package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What the decoder records for each generated token, computed on the device and packed into one array so a step
 * needs a single transfer to the host ({@link StepScores#copyToHost}).
 *
 * <p>Every pass over the vocabulary costs as much as a small matmul on large vocabularies, and every operation a
 * fixed overhead on small ones, so the scores take few: one log-softmax for both models' stacked logits and one
 * for the mixed ones, a gather from each, one exp and one batched dot product. The KL is the dot product
 * {@code KL(pi_lambda || pi_ref) = sum_v pi_lambda(v) (log pi_lambda(v) - log pi_ref(v))} of normalized
 * log-probabilities, which stay small where pi_lambda has mass, so it keeps its precision at any finite lambda
 * (the unnormalized form {@code E[z - h_ref] - (lse(z) - lse(h_ref))} subtracts terms of size lambda).
 */
public final class StepScoring {

    private StepScoring() {}

    /**
     * Scores the chosen tokens of one step.
     *
     * @param pair the reference's then the aligned model's logits, {@code [2, rows, vocab]}
     * @param z the mixed logits the tokens were drawn from ({@link Realignment#mix}), {@code [rows, vocab]}
     * @param tokenIds the chosen token per row, {@code [rows]}, integer type
     * @return float32 {@code [5, rows]}, owned by {@code z}'s manager, with the columns of {@link StepScores} as its
     *     rows: token id, log pi_lambda(token), log pi_ref(token), log pi_aligned(token), KL(pi_lambda || pi_ref)
     *     (clamped at 0 against rounding). The log-probabilities use T = 1 and no filtering. A NaN or infinity in a
     *     row's logits makes its scores non-finite, which {@link StepScores#isFinite} reports.
     */
    public static NDArray score(NDArray pair, NDArray z, NDArray tokenIds) {
        Shape shape = Logits.requirePair(pair);
        long rows = shape.get(1);
        Logits.requireShape(z, new Shape(rows, shape.get(2)), "z");
        Logits.requireShape(tokenIds, new Shape(rows), "tokenIds");
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray ids = tokenIds.toType(DataType.INT64, false).reshape(1, rows, 1);
            NDArray logpPair = Logits.asFloat32(pair).logSoftmax(2);
            NDArray logpMix = Logits.asFloat32(z).logSoftmax(1);
            NDArray chosenPair = logpPair.gather(ids.broadcast(2, rows, 1), 2);
            NDArray chosenMix = logpMix.expandDims(0).gather(ids, 2);
            NDArray kl = logpMix.exp().expandDims(1).matMul(logpMix.sub(logpPair.get(0)).expandDims(2))
                    .reshape(1, rows, 1).maximum(0f);
            NDArray packed = NDArrays.concat(new NDList(ids.toType(DataType.FLOAT32, false), chosenMix, chosenPair,
                    kl));
            return packed.reshape(StepScores.COLUMNS, rows);
        });
    }
}
