package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * DeRa's mixing of the reference and aligned logits: {@code z = lambda * h_aligned + (1 - lambda) * h_ref}, a
 * weighted sum over the model axis of both models' stacked logits with per-row weights {@code (1 - lambda,
 * lambda)}: one multiply and one sum for the whole step.
 */
public final class Realignment {

    private Realignment() {}

    /**
     * Mixes the two models' logits row by row, in float32.
     *
     * <p>lambda = 0 returns the reference and lambda = 1 the aligned logits exactly (for finite logits). A NaN or
     * infinity in either model makes that row of the result non-finite, whatever its lambda, so the step's scores
     * ({@link StepScores#isFinite}) see bad values of both models.
     *
     * @param pair the reference's then the aligned model's logits, {@code [2, rows, vocab]}, any float type
     * @param lambdas one realignment strength per row
     * @return mixed logits {@code [rows, vocab]} float32, owned by {@code pair}'s manager
     */
    public static NDArray mix(NDArray pair, float[] lambdas) {
        long rows = Logits.requirePair(pair).get(1);
        Logits.requireRows(lambdas.length, rows, "lambdas");
        float[] weights = new float[2 * lambdas.length];
        for (int row = 0; row < lambdas.length; row++) {
            weights[row] = 1f - lambdas[row];
            weights[lambdas.length + row] = lambdas[row];
        }
        return Intermediates.closedExcept(pair.getManager(), () -> {
            NDArray perRow = pair.getManager().create(weights, new Shape(2, rows, 1)).toDevice(pair.getDevice(), false);
            return Logits.asFloat32(pair).mul(perRow).sum(new int[] {0});
        });
    }
}
