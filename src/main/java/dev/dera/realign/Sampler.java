package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Draws one token per row from mixed logits, each row with its own {@link SamplingParams} and uniform, in batched
 * device operations and without any transfer back to the host.
 *
 * <p>A sampled row takes {@code softmax(z / T)}, sorts it in descending order, keeps the {@code topK} most probable
 * tokens, then the smallest prefix of those whose renormalized probability reaches {@code topP}, then the tokens
 * with probability at least {@code minP} times the largest, and returns the first kept token whose cumulative kept
 * probability exceeds {@code u} times the kept total. A greedy row ({@code T = 0}) returns the argmax of {@code z},
 * the lowest index on ties.
 */
public final class Sampler {

    /** Columns of the per-row parameter array uploaded to the device in one transfer. */
    private static final int TEMPERATURE = 0;
    private static final int TOP_K = 1;
    private static final int TOP_P = 2;
    private static final int MIN_P = 3;
    private static final int UNIFORM = 4;
    private static final int GREEDY = 5;
    private static final int PER_ROW_COLUMNS = 6;

    /** The largest float below 1: a uniform rounded to float32 stays in [0, 1). */
    private static final float BELOW_ONE = Math.nextDown(1f);

    private Sampler() {}

    /**
     * Draws the next token of every row.
     *
     * @param z mixed logits {@code [rows, vocab]}, any float type
     * @param params one entry per row
     * @param uniforms one draw in [0, 1) per row, from {@link CounterRng}; ignored for greedy rows. It is rounded
     *     to float32 on the device.
     * @return token ids {@code [rows]} int64 on {@code z}'s device, owned by {@code z}'s manager. A row whose logits
     *     are not finite still gets some valid index; {@link StepScoring#finiteRows} flags it.
     */
    public static NDArray sample(NDArray z, List<SamplingParams> params, double[] uniforms) {
        long rows = Logits.requireMatrix(z, "z").get(0);
        Logits.requireRows(params.size(), rows, "params");
        Logits.requireRows(uniforms.length, rows, "uniforms");
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray logits = Logits.asFloat32(z);
            NDArray perRow = upload(z, params, uniforms);
            NDArray greedyRows = column(perRow, GREEDY).reshape(-1).gt(0.5f);
            return NDArrays.where(greedyRows, logits.argMax(1), draw(logits, perRow));
        });
    }

    /**
     * The per-row parameters as one {@code [rows, 6]} float32 array on {@code z}'s device. Values that turn a filter
     * off become +infinity so that no rounding can drop a token; greedy rows get temperature 1 so the sampled branch
     * they never use stays finite.
     */
    private static NDArray upload(NDArray z, List<SamplingParams> params, double[] uniforms) {
        float[] values = new float[params.size() * PER_ROW_COLUMNS];
        for (int row = 0; row < params.size(); row++) {
            SamplingParams p = params.get(row);
            double u = uniforms[row];
            if (!(u >= 0 && u < 1)) {
                throw new IllegalArgumentException("uniforms[" + row + "] must be in [0, 1), got " + u);
            }
            int at = row * PER_ROW_COLUMNS;
            values[at + TEMPERATURE] = p.isGreedy() ? 1f : (float) p.temperature();
            values[at + TOP_K] = p.topK() == 0 ? Float.POSITIVE_INFINITY : p.topK();
            values[at + TOP_P] = p.topP() == 1 ? Float.POSITIVE_INFINITY : (float) p.topP();
            values[at + MIN_P] = (float) p.minP();
            values[at + UNIFORM] = Math.min((float) u, BELOW_ONE);
            values[at + GREEDY] = p.isGreedy() ? 1f : 0f;
        }
        NDManager manager = z.getManager();
        return manager.create(values, new Shape(params.size(), PER_ROW_COLUMNS)).toDevice(z.getDevice(), false);
    }

    private static NDArray column(NDArray perRow, int column) {
        return perRow.get(":, {}:{}", column, column + 1);
    }

    /** The inverse-CDF draw over the kept tokens, for every row as if it were sampled. */
    private static NDArray draw(NDArray logits, NDArray perRow) {
        // Shifting by the row max first keeps a tiny temperature from turning logits into inf - inf.
        NDArray shifted = logits.sub(logits.max(new int[] {1}, true));
        NDArray probs = shifted.div(column(perRow, TEMPERATURE)).softmax(1);
        NDArray order = probs.argSort(1, false);
        NDArray sorted = probs.gather(order, 1);
        NDArray kept = keptPrefix(sorted, perRow);

        NDArray keptCumulative = sorted.mul(kept).cumSum(1);
        NDArray threshold = keptCumulative.get(":, -1:").mul(column(perRow, UNIFORM));
        NDArray firstAbove = countPerRow(keptCumulative.lte(threshold));
        // Rounding can put the threshold at the kept total; never step past the last kept, non-zero token.
        NDArray lastPositive = countPerRow(kept.mul(sorted.gt(0f).toType(DataType.FLOAT32, false))).sub(1f);
        NDArray rank = firstAbove.minimum(lastPositive).maximum(0f).toType(DataType.INT64, false);
        return order.gather(rank, 1).reshape(-1);
    }

    /**
     * 1 for the tokens (in descending-probability order) that survive top-k, top-p and min-p, else 0. Each filter
     * keeps a prefix, so the result is a prefix, and the most probable token always survives.
     */
    private static NDArray keptPrefix(NDArray sorted, NDArray perRow) {
        long vocab = sorted.getShape().get(1);
        NDArray rank = sorted.getManager().arange(0f, vocab, 1f, DataType.FLOAT32, sorted.getDevice());
        NDArray inTopK = rank.lt(column(perRow, TOP_K));
        NDArray topKMass = sorted.mul(inTopK.toType(DataType.FLOAT32, false)).sum(new int[] {1}, true);
        NDArray massBefore = sorted.cumSum(1).sub(sorted);
        NDArray inTopP = massBefore.lt(column(perRow, TOP_P).mul(topKMass));
        NDArray aboveMinP = sorted.gte(sorted.get(":, 0:1").mul(column(perRow, MIN_P)));
        return inTopK.logicalAnd(inTopP).logicalAnd(aboveMinP).toType(DataType.FLOAT32, false);
    }

    /** How many entries of each row of a boolean or 0/1 matrix are set, as float32 {@code [rows, 1]}. */
    private static NDArray countPerRow(NDArray flags) {
        return flags.toType(DataType.FLOAT32, false).sum(new int[] {1}, true);
    }
}
