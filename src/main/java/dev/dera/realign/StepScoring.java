package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What the decoder records for each generated token, computed on the device and packed into one array so a step
 * needs a single transfer to the host ({@link StepScores#copyToHost}).
 */
public final class StepScoring {

    private StepScoring() {}

    /**
     * Scores the chosen tokens of one step.
     *
     * @param hRef reference logits {@code [rows, vocab]}
     * @param hAligned aligned logits, same shape
     * @param z the mixed logits the tokens were drawn from, same shape
     * @param tokenIds the chosen token per row, {@code [rows]}, integer type
     * @return float32 {@code [rows, 6]}, owned by {@code z}'s manager, with the columns of {@link StepScores}:
     *     token id, log pi_lambda(token), log pi_ref(token), log pi_aligned(token), KL(pi_lambda || pi_ref) (clamped
     *     at 0 against rounding), and 1/0 for whether the row of {@code z} is finite. The log-probabilities use T = 1
     *     and no filtering. The other columns of a non-finite row are meaningless.
     */
    public static NDArray score(NDArray hRef, NDArray hAligned, NDArray z, NDArray tokenIds) {
        Shape shape = Logits.requireMatrix(z, "z");
        Logits.requireShape(hRef, shape, "hRef");
        Logits.requireShape(hAligned, shape, "hAligned");
        Logits.requireShape(tokenIds, new Shape(shape.get(0)), "tokenIds");
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray ids = tokenIds.toType(DataType.INT64, false).reshape(-1, 1);
            NDArray logpMix = logSoftmax(z);
            NDArray logpRef = logSoftmax(hRef);
            NDArray logpAligned = logSoftmax(hAligned);
            NDList columns = new NDList(
                    ids.toType(DataType.FLOAT32, false).reshape(-1),
                    chosen(logpMix, ids),
                    chosen(logpRef, ids),
                    chosen(logpAligned, ids),
                    klDivergence(logpMix, logpRef),
                    finiteRows(z));
            return NDArrays.stack(columns, 1);
        });
    }

    /**
     * Per row, 1 when every logit is finite and 0 when any is NaN or infinite.
     *
     * @param z logits {@code [rows, vocab]}
     * @return float32 {@code [rows]}, owned by {@code z}'s manager
     */
    public static NDArray finiteRows(NDArray z) {
        Logits.requireMatrix(z, "z");
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray bad = z.isNaN().logicalOr(z.isInfinite());
            return bad.toType(DataType.FLOAT32, false).sum(new int[] {1}).eq(0f).toType(DataType.FLOAT32, false);
        });
    }

    private static NDArray logSoftmax(NDArray logits) {
        return Logits.asFloat32(logits).logSoftmax(1);
    }

    private static NDArray chosen(NDArray logProbs, NDArray ids) {
        return logProbs.gather(ids, 1).reshape(-1);
    }

    /**
     * {@code sum_v p(v) (log p(v) - log q(v))} from log-probabilities: where p underflows to 0 the log-softmax
     * values stay finite, so the term is 0 and never 0 * (-inf).
     */
    private static NDArray klDivergence(NDArray logP, NDArray logQ) {
        return logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).maximum(0f);
    }
}
