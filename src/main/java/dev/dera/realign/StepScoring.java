package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What the decoder records for each generated token, computed on the device and packed into one array so a step
 * needs a single transfer to the host ({@link StepScores#copyToHost}).
 *
 * <p>Every pass over the vocabulary costs as much as a small matmul on large vocabularies, and every operation a
 * fixed overhead on small ones, so the scores take few: one log-softmax and one gather over the three channels of
 * {@link Realignment#mix}'s result, one exp and one batched dot product. The KL is the dot product
 * {@code KL(pi_lambda || pi_ref) = sum_v pi_lambda(v) (log pi_lambda(v) - log pi_ref(v))} of normalized
 * log-probabilities, which stay small where pi_lambda has mass, so it keeps its precision at any finite lambda
 * (the unnormalized form {@code E[z - h_ref] - (lse(z) - lse(h_ref))} subtracts terms of size lambda).
 */
public final class StepScoring {

    private StepScoring() {}

    /**
     * Scores the chosen tokens of one step.
     *
     * @param realigned mixed, reference and aligned logits {@code [3, rows, vocab]} float32, from
     *     {@link Realignment#mix}
     * @param tokenIds the chosen token per row, {@code [rows]}, integer type
     * @return float32 {@code [5, rows]}, owned by {@code realigned}'s manager, with the columns of
     *     {@link StepScores} as its rows: token id, log pi_lambda(token), log pi_ref(token), log pi_aligned(token),
     *     KL(pi_lambda || pi_ref) (clamped at 0 against rounding). The log-probabilities use T = 1 and no filtering. A
     *     NaN or infinity in a row's logits makes its scores non-finite, which {@link StepScores#isFinite} reports.
     */
    public static NDArray score(NDArray realigned, NDArray tokenIds) {
        Shape shape = realigned.getShape();
        if (shape.dimension() != 3 || shape.get(0) != Realignment.CHANNELS
                || realigned.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("realigned logits must be float32 [3, rows, vocab], got "
                    + realigned.getDataType() + " " + shape);
        }
        long rows = shape.get(1);
        Logits.requireShape(tokenIds, new Shape(rows), "tokenIds");
        return Intermediates.closedExcept(realigned.getManager(), () -> {
            NDArray ids = tokenIds.toType(DataType.INT64, false);
            NDArray logp = realigned.logSoftmax(2);
            NDArray rowIndices = realigned.getManager().arange(0L, rows, 1L, DataType.INT64, realigned.getDevice());
            NDArray chosen = logp.get(new NDIndex(":, {}, {}", rowIndices, ids));
            NDArray logpMix = logp.get(Realignment.MIXED);
            NDArray logpRef = logp.get(Realignment.REFERENCE);
            NDArray kl = logpMix.exp().expandDims(1).matMul(logpMix.sub(logpRef).expandDims(2)).reshape(1, rows)
                    .maximum(0f);
            return NDArrays.concat(new NDList(ids.toType(DataType.FLOAT32, false).reshape(1, rows), chosen, kl));
        });
    }
}
