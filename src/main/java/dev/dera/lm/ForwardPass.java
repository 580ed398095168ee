package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * What every layer of one forward call shares: the rotation of each token, the cache its tokens go to, and the
 * attention masks (one per window size, made once).
 */
final class ForwardPass {
    private static final float MASKED = -1e30f;

    private final RotaryEmbedding.Angles angles;
    private final KvCache cache;
    private final NDArray queryPositions;
    private final NDArray slotPositions;
    private final Map<Integer, NDArray> masks = new HashMap<>();

    ForwardPass(RotaryEmbedding.Angles angles, KvCache cache, NDArray queryPositions) {
        this.angles = angles;
        this.cache = cache;
        this.queryPositions = queryPositions;
        this.slotPositions = cache.slotPositions();
    }

    /** The rotation of this call's tokens, or null for a model without rotary embeddings. */
    RotaryEmbedding.Angles angles() {
        return angles;
    }

    KvCache cache() {
        return cache;
    }

    /**
     * Additive float32 mask [rows, 1, 1, tokens, slots]: a query sees a slot that holds a token at a position no
     * later than its own and, with a window, fewer than {@code window} positions back.
     */
    NDArray mask(int window) {
        return masks.computeIfAbsent(window, this::makeMask);
    }

    private NDArray makeMask(int window) {
        NDArray query = queryPositions.expandDims(2);
        NDArray slot = slotPositions.expandDims(1);
        NDArray visible = slot.gte(0L).logicalAnd(slot.lte(query));
        if (window > 0) {
            visible = visible.logicalAnd(query.sub(slot).lt((long) window));
        }
        NDArray additive = visible.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
        return additive.expandDims(1).expandDims(1);
    }
}
