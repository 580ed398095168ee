package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * DeRa's mixing of the reference and aligned logits: {@code z = lambda * h_aligned + (1 - lambda) * h_ref}.
 *
 * <p>The mix takes both models' logits stacked on a leading model axis and returns the mixed logits beside copies
 * of the two inputs, {@code [3, rows, vocab]} ({@link #MIXED}, {@link #REFERENCE}, {@link #ALIGNED}), so that the
 * scores ({@link StepScoring#score}) need one log-softmax and one gather for all three. Every channel is a weighted
 * sum over the model axis with per-row weights, one multiply and one sum for the whole step.
 */
public final class Realignment {

    /** Channel of the mixed logits z. */
    public static final int MIXED = 0;
    /** Channel of the reference logits. */
    public static final int REFERENCE = 1;
    /** Channel of the aligned logits. */
    public static final int ALIGNED = 2;
    /** Number of channels. */
    public static final int CHANNELS = 3;

    private Realignment() {}

    /**
     * Mixes the two models' logits row by row, in float32.
     *
     * <p>lambda = 0 gives the reference and lambda = 1 the aligned logits exactly (for finite logits), and the
     * {@link #MIXED} channel is bit for bit {@code lambda * h_aligned + (1 - lambda) * h_ref} in float32. A NaN or
     * infinity in either model makes that row non-finite in every channel, whatever its lambda, so the step's
     * scores ({@link StepScores#isFinite}) see bad values of both models.
     *
     * @param pair the reference's then the aligned model's logits, {@code [2, rows, vocab]}, any float type
     * @param lambdas one realignment strength per row
     * @return float32 {@code [3, rows, vocab]}: mixed, reference and aligned logits, owned by {@code pair}'s manager
     */
    public static NDArray mix(NDArray pair, float[] lambdas) {
        Shape shape = pair.getShape();
        if (shape.dimension() != 3 || shape.get(0) != 2) {
            throw new IllegalArgumentException("pair must be [2, rows, vocab], got " + shape);
        }
        int rows = (int) shape.get(1);
        Logits.requireRows(lambdas.length, rows, "lambdas");
        return Intermediates.closedExcept(pair.getManager(), () -> {
            NDArray weights = pair.getManager().create(weights(lambdas), new Shape(CHANNELS, 2, rows, 1))
                    .toDevice(pair.getDevice(), false);
            return Logits.asFloat32(pair).mul(weights).sum(new int[] {1});
        });
    }

    /** The mixed logits {@code [rows, vocab]} of {@link #mix}'s result (a view). */
    public static NDArray mixed(NDArray realigned) {
        return realigned.get(MIXED);
    }

    /**
     * Weights {@code [3, 2, rows, 1]} of the reference (model 0) and aligned model (model 1) in each channel:
     * {@code (1 - lambda, lambda)}, {@code (1, 0)}, {@code (0, 1)}. {@code 1 - lambda} is rounded to float32 as the
     * device would round it.
     */
    private static float[] weights(float[] lambdas) {
        int rows = lambdas.length;
        float[] weights = new float[CHANNELS * 2 * rows];
        for (int row = 0; row < rows; row++) {
            weights[at(MIXED, 0, row, rows)] = 1f - lambdas[row];
            weights[at(MIXED, 1, row, rows)] = lambdas[row];
            weights[at(REFERENCE, 0, row, rows)] = 1f;
            weights[at(ALIGNED, 1, row, rows)] = 1f;
        }
        return weights;
    }

    private static int at(int channel, int model, int row, int rows) {
        return (channel * 2 + model) * rows + row;
    }
}
