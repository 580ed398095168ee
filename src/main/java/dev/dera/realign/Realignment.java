package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** DeRa's mixing of the reference and aligned logits: {@code z = lambda * h_aligned + (1 - lambda) * h_ref}. */
public final class Realignment {

    private Realignment() {}

    /**
     * Mixes the two models' logits row by row, in float32.
     *
     * <p>lambda = 0 returns {@code hRef} and lambda = 1 returns {@code hAligned} exactly (for finite logits). A NaN
     * or infinity in either input makes that row of the result non-finite, whatever its lambda, so the step's
     * scores ({@link StepScores#isFinite}) see bad values of both models.
     *
     * @param hRef reference logits {@code [rows, vocab]}
     * @param hAligned aligned logits, same shape
     * @param lambdas one realignment strength per row, {@code [rows]}
     * @return mixed logits {@code [rows, vocab]} float32, owned by {@code hRef}'s manager
     */
    public static NDArray mix(NDArray hRef, NDArray hAligned, NDArray lambdas) {
        Shape shape = Logits.requireMatrix(hRef, "hRef");
        Logits.requireShape(hAligned, shape, "hAligned");
        Logits.requireShape(lambdas, new Shape(shape.get(0)), "lambdas");
        return Intermediates.closedExcept(hRef.getManager(), () -> {
            NDArray lambda = Logits.asFloat32(lambdas).reshape(-1, 1);
            NDArray aligned = Logits.asFloat32(hAligned).mul(lambda);
            NDArray reference = Logits.asFloat32(hRef).mul(lambda.neg().add(1f));
            return aligned.add(reference);
        });
    }
}
