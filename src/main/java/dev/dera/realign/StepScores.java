package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The host copy of one step's packed scores ({@link StepScoring#score}): a float array {@code [COLUMNS, rows]}
 * (one row per column of scores, as the device computes them), read through one accessor per column.
 */
public final class StepScores {

    /** Column of the chosen token id (as float, exact below 2^24). */
    public static final int TOKEN_ID = 0;
    /** Column of the chosen token's log-probability under pi_lambda = softmax(z), T = 1, no filtering. */
    public static final int LOGPROB = 1;
    /** Column of the chosen token's log-probability under the reference model alone. */
    public static final int REF_LOGPROB = 2;
    /** Column of the chosen token's log-probability under the aligned model alone. */
    public static final int ALIGNED_LOGPROB = 3;
    /** Column of the exact KL(pi_lambda || pi_ref) of this step. */
    public static final int KL = 4;
    /** Number of columns. */
    public static final int COLUMNS = 5;

    private final float[] packed;

    private StepScores(float[] packed) {
        this.packed = packed;
    }

    /** Copies the packed {@code [COLUMNS, rows]} float32 array to the host: the step's one device transfer. */
    public static StepScores copyToHost(NDArray packed) {
        if (packed.getShape().dimension() != 2 || packed.getShape().get(0) != COLUMNS
                || packed.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("packed scores must be float32 [" + COLUMNS + ", rows], got "
                    + packed.getDataType() + " " + packed.getShape());
        }
        return new StepScores(packed.toFloatArray());
    }

    /** Number of rows. */
    public int rows() {
        return packed.length / COLUMNS;
    }

    /** The token chosen for {@code row}. */
    public int tokenId(int row) {
        return (int) value(row, TOKEN_ID);
    }

    /** Log-probability of the chosen token under pi_lambda (T = 1, no filtering). */
    public float logprob(int row) {
        return value(row, LOGPROB);
    }

    /** Log-probability of the chosen token under the reference model. */
    public float refLogprob(int row) {
        return value(row, REF_LOGPROB);
    }

    /** Log-probability of the chosen token under the aligned model. */
    public float alignedLogprob(int row) {
        return value(row, ALIGNED_LOGPROB);
    }

    /** KL(pi_lambda || pi_ref) of this step for {@code row}. */
    public float kl(int row) {
        return value(row, KL);
    }

    /** Whether the row's logits were all finite: a NaN or infinity in either model makes its scores non-finite. */
    public boolean isFinite(int row) {
        return Float.isFinite(logprob(row)) && Float.isFinite(refLogprob(row)) && Float.isFinite(alignedLogprob(row))
                && Float.isFinite(kl(row));
    }

    private float value(int row, int column) {
        return packed[column * rows() + row];
    }
}
