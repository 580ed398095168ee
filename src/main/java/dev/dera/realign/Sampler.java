package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Draws one token per row from mixed logits, each row with its own {@link SamplingParams} and uniform, in batched
 * device operations and without any transfer back to the host.
 *
 * <p>A sampled row takes {@code p = softmax(z / T)} and keeps the tokens whose probability reaches a threshold:
 * top-k keeps the {@code topK} most probable tokens, top-p then the smallest most-probable set whose probability,
 * renormalized after top-k, reaches {@code topP}, and min-p the tokens with probability at least {@code minP}
 * times the largest. (Tokens tied with the last one kept are kept too.) The draw is an inverse CDF in vocabulary
 * order: the first kept token whose cumulative kept probability exceeds {@code u} times the kept total. A greedy row
 * ({@code T = 0}) returns the argmax of {@code z}, the lowest index on ties.
 *
 * <p>Nothing sorts the whole vocabulary: top-k and top-p read their thresholds off the {@link #CANDIDATES} most
 * probable tokens (more when top-k asks for more). When a row's top-p set is larger than that, the step falls back
 * to all tokens, which costs one small extra transfer to check.
 */
public final class Sampler {

    /** Most probable tokens examined for the top-k and top-p thresholds. */
    static final int CANDIDATES = 256;

    /** Columns of the per-row parameter array uploaded to the device in one transfer. */
    private static final int TEMPERATURE = 0;
    private static final int TOP_K = 1;
    private static final int TOP_P = 2;
    private static final int MIN_P = 3;
    private static final int UNIFORM = 4;
    private static final int GREEDY = 5;
    private static final int PER_ROW_COLUMNS = 6;

    /** Keeps the draw's target strictly below the kept total whatever the rounding (a 2^-22 relative margin). */
    private static final float BELOW_TOTAL = 1f - 0x1p-22f;

    private Sampler() {}

    /**
     * Draws the next token of every row.
     *
     * @param z mixed logits {@code [rows, vocab]}, any float type
     * @param params one entry per row
     * @param uniforms one draw in [0, 1) per row, from {@link CounterRng}; ignored for greedy rows. It is rounded
     *     to float32 on the device.
     * @return token ids {@code [rows]} int64 on {@code z}'s device, owned by {@code z}'s manager. A row whose logits
     *     are not finite still gets some valid index; its scores ({@link StepScores#isFinite}) flag it.
     */
    public static NDArray sample(NDArray z, List<SamplingParams> params, double[] uniforms) {
        long rows = Logits.requireMatrix(z, "z").get(0);
        Logits.requireRows(params.size(), rows, "params");
        Logits.requireRows(uniforms.length, rows, "uniforms");
        for (int row = 0; row < uniforms.length; row++) {
            if (!(uniforms[row] >= 0 && uniforms[row] < 1)) {
                throw new IllegalArgumentException("uniforms[" + row + "] must be in [0, 1), got " + uniforms[row]);
            }
        }
        boolean anyGreedy = params.stream().anyMatch(SamplingParams::isGreedy);
        boolean allGreedy = params.stream().allMatch(SamplingParams::isGreedy);
        return Intermediates.closedExcept(z.getManager(), () -> {
            NDArray logits = Logits.asFloat32(z);
            if (allGreedy) {
                return logits.argMax(1);
            }
            NDArray perRow = upload(z, params, uniforms);
            NDArray drawn = draw(logits, perRow, candidates(params, z.getShape().get(1)), hasTopPWithoutTopK(params));
            if (!anyGreedy) {
                return drawn;
            }
            NDArray greedyRows = column(perRow, GREEDY).reshape(-1).gt(0.5f);
            return NDArrays.where(greedyRows, logits.argMax(1), drawn);
        });
    }

    /**
     * How many of the most probable tokens the top-k/top-p thresholds need: a row's top-k (its top-p set lies
     * within it), {@link #CANDIDATES} for top-p alone, 0 when no row filters that way.
     */
    private static int candidates(List<SamplingParams> params, long vocab) {
        int needed = 0;
        for (SamplingParams p : params) {
            if (p.isGreedy()) {
                continue;
            }
            if (p.topK() > 0) {
                needed = Math.max(needed, p.topK());
            } else if (p.topP() < 1) {
                needed = Math.max(needed, CANDIDATES);
            }
        }
        return (int) Math.min(needed, vocab);
    }

    /** Whether some sampled row's top-p set is bounded by no top-k, so it may be wider than the candidates. */
    private static boolean hasTopPWithoutTopK(List<SamplingParams> params) {
        return params.stream().anyMatch(p -> !p.isGreedy() && p.topK() == 0 && p.topP() < 1);
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
            int at = row * PER_ROW_COLUMNS;
            values[at + TEMPERATURE] = p.isGreedy() ? 1f : (float) p.temperature();
            values[at + TOP_K] = p.topK() == 0 ? Float.POSITIVE_INFINITY : p.topK();
            values[at + TOP_P] = p.topP() == 1 ? Float.POSITIVE_INFINITY : (float) p.topP();
            values[at + MIN_P] = (float) p.minP();
            values[at + UNIFORM] = (float) uniforms[row];
            values[at + GREEDY] = p.isGreedy() ? 1f : 0f;
        }
        NDManager manager = z.getManager();
        return manager.create(values, new Shape(params.size(), PER_ROW_COLUMNS)).toDevice(z.getDevice(), false);
    }

    private static NDArray column(NDArray perRow, int column) {
        return perRow.get(":, {}:{}", column, column + 1);
    }

    /** The inverse-CDF draw over the kept tokens, for every row as if it were sampled. */
    private static NDArray draw(NDArray logits, NDArray perRow, int candidates, boolean checkOverflow) {
        // Shifting by the row max first keeps a tiny temperature from turning logits into inf - inf.
        NDArray shifted = logits.sub(logits.max(new int[] {1}, true));
        NDArray probs = shifted.div(column(perRow, TEMPERATURE)).softmax(1);
        NDArray threshold = probs.max(new int[] {1}, true).mul(column(perRow, MIN_P));
        if (candidates > 0) {
            threshold = threshold.maximum(topThreshold(probs, perRow, candidates, checkOverflow));
        }
        NDArray kept = probs.mul(probs.gte(threshold).toType(DataType.FLOAT32, false));
        NDArray cumulative = kept.cumSum(1);
        NDArray total = cumulative.get(":, -1:");
        NDArray target = total.mul(column(perRow, UNIFORM)).minimum(total.mul(BELOW_TOTAL));
        NDArray firstAbove = cumulative.lte(target).toType(DataType.FLOAT32, false).sum(new int[] {1});
        return firstAbove.minimum(logits.getShape().get(1) - 1).toType(DataType.INT64, false);
    }

    /**
     * The smallest probability that top-k and top-p keep, per row {@code [rows, 1]}, from the {@code candidates}
     * most probable tokens; all tokens when a row's top-p set does not fit in them (checked only when
     * {@code checkOverflow}: with top-k the set always fits).
     */
    private static NDArray topThreshold(NDArray probs, NDArray perRow, int candidates, boolean checkOverflow) {
        NDArray sorted = probs.topK(candidates, 1, true, true).get(0);
        NDList threshold = keptThreshold(sorted, perRow);
        long vocab = probs.getShape().get(1);
        if (checkOverflow && candidates < vocab && threshold.get(1).any().getBoolean()) {
            return keptThreshold(probs.topK((int) vocab, 1, true, true).get(0), perRow).get(0);
        }
        return threshold.get(0);
    }

    /**
     * From probabilities sorted in descending order: the last kept value per row, and whether any row's top-p set
     * runs past the end of {@code sorted} (its mass there falls short of p).
     */
    private static NDList keptThreshold(NDArray sorted, NDArray perRow) {
        long count = sorted.getShape().get(1);
        NDArray rank = sorted.getManager().arange(0f, count, 1f, DataType.FLOAT32, sorted.getDevice());
        NDArray topK = column(perRow, TOP_K);
        NDArray inTopK = rank.lt(topK).toType(DataType.FLOAT32, false);
        // top-p acts on the distribution renormalized after top-k: without top-k its mass is the whole, 1.
        NDArray topKMass = NDArrays.where(topK.lt(Float.POSITIVE_INFINITY), sorted.mul(inTopK).sum(new int[] {1}, true),
                topK.onesLike());
        NDArray cumulative = sorted.cumSum(1);
        NDArray goal = column(perRow, TOP_P).mul(topKMass);
        NDArray inTopP = cumulative.sub(sorted).lt(goal).toType(DataType.FLOAT32, false);
        NDArray keptCount = inTopK.mul(inTopP).sum(new int[] {1}, true).maximum(1f).toType(DataType.INT64, false);
        NDArray lastKept = sorted.gather(keptCount.sub(1L), 1);
        NDArray overflow = cumulative.get(":, -1:").lt(goal).logicalAnd(goal.lt(Float.POSITIVE_INFINITY));
        return new NDList(lastKept, overflow);
    }
}
