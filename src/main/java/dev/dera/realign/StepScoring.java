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
 * <p>Every pass over the vocabulary costs as much as a small matmul on large vocabularies, so the scores take few:
 * three log-softmaxes, one exp and one batched dot product. The KL is the dot product
 * {@code KL(pi_lambda || pi_ref) = sum_v pi_lambda(v) (log pi_lambda(v) - log pi_ref(v))} of normalized
 * log-probabilities, which stay small where pi_lambda has mass, so it keeps its precision at any finite lambda
 * (the unnormalized form {@code E[z - h_ref] - (lse(z) - lse(h_ref))} subtracts terms of size lambda).
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
     * @return float32 {@code [rows, 5]}, owned by {@code z}'s manager, with the columns of {@link StepScores}:
     *     token id, log pi_lambda(token), log pi_ref(token), log pi_aligned(token), KL(pi_lambda || pi_ref) (clamped
     *     at 0 against rounding). The log-probabilities use T = 1 and no filtering. A NaN or infinity in a row's
     *     logits makes its scores non-finite, which {@link StepScores#isFinite} reports.
     */
    public static NDArray score(NDArray hRef, NDArray hAligned, NDArray z, NDArray tokenIds) {
        Shape shape = z.getShape();
        Logits.requireShape(hRef, shape, "hRef");
        Logits.requireShape(hAligned, shape, "hAligned");
        Logits.requireShape(tokenIds, new Shape(shape.get(0)), "tokenIds");
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray ids = tokenIds.toType(DataType.INT64, false).reshape(-1, 1);
            NDArray mixed = Logits.asFloat32(z);
            NDArray reference = Logits.asFloat32(hRef);
            NDArray logpMix = mixed.logSoftmax(1);
            NDArray logpRef = reference.logSoftmax(1);
            NDArray chosenMix = logpMix.gather(ids, 1);
            NDArray chosenRef = logpRef.gather(ids, 1);
            NDArray chosenAligned = Logits.asFloat32(hAligned).logSoftmax(1).gather(ids, 1);
            NDArray kl = logpMix.exp().expandDims(1).matMul(logpMix.sub(logpRef).expandDims(2)).reshape(-1, 1)
                    .maximum(0f);
            return NDArrays.concat(new NDList(ids.toType(DataType.FLOAT32, false), chosenMix, chosenRef,
                    chosenAligned, kl), 1);
        });
    }
}
