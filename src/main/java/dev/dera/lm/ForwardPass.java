package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * What every layer of one forward call shares: the shape of the batch, the rotation of each token, the cache its
 * tokens go to, the attention masks (one per window size) and the constants, each made once.
 *
 * <p>Rows here are the cache's: with stacked models, {@code models * rows} of them, model-major.
 */
final class ForwardPass {
    private static final float MASKED = -1e30f;

    private final RotaryEmbedding.Angles angles;
    private final KvCache cache;
    private final NDArray queryPositions;
    private final NDArray slotPositions;
    private final long rows;
    private final long tokens;
    private final int groups;
    private final Map<Integer, NDArray> masks = new HashMap<>();
    private final Map<String, NDArray> constants = new HashMap<>();

    /** {@code queryPositions}: [rows, tokens], the position of each token (0 for padding). */
    ForwardPass(RotaryEmbedding.Angles angles, KvCache cache, NDArray queryPositions, int groups) {
        this.angles = angles;
        this.cache = cache;
        this.queryPositions = queryPositions;
        this.slotPositions = cache.slotPositions();
        this.rows = queryPositions.getShape().get(0);
        this.tokens = queryPositions.getShape().get(1);
        this.groups = groups;
    }

    /** The rotation of this call's tokens, or null for a model without rotary embeddings. */
    RotaryEmbedding.Angles angles() {
        return angles;
    }

    KvCache cache() {
        return cache;
    }

    /** Rows of the cache (all models'). */
    long rows() {
        return rows;
    }

    /** Tokens per row in this call. */
    long tokens() {
        return tokens;
    }

    /** {@code value} as a native scalar of {@code like}'s type ({@link NativeScalar}), made once per call. */
    NDArray constant(NDArray like, double value) {
        return constants.computeIfAbsent(like.getDataType() + " " + value, key -> NativeScalar.like(like, value));
    }

    /**
     * Additive float32 mask [rows, 1, tokens * groups, slots] over the grouped queries of attention (token-major:
     * query t * groups + g): a query sees a slot that holds a token at a position no later than its own and, with
     * a window, fewer than {@code window} positions back. One token needs no copy per group: [rows, 1, 1, slots].
     */
    NDArray mask(int window) {
        return masks.computeIfAbsent(window, this::makeMask);
    }

    private NDArray makeMask(int window) {
        NDArray query = queryPositions.expandDims(2);
        NDArray slot = slotPositions.expandDims(1);
        NDArray hidden = slot.lt(0L).logicalOr(slot.gt(query));
        if (window > 0) {
            hidden = hidden.logicalOr(query.sub(slot).gte((long) window));
        }
        NDArray additive = hidden.toType(DataType.FLOAT32, false).mul(MASKED).expandDims(1);
        return tokens == 1 || groups == 1 ? additive : additive.repeat(2, groups);
    }
}
