package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/**
 * Where a model's weights come from, by Hugging Face tensor name: a checkpoint on disk, arrays that training owns
 * (with gradients attached) so that the same forward pass serves inference and training, or two checkpoints of one
 * shape stacked on a leading model axis ({@link StackedWeights}) so that one forward pass runs both models.
 */
@FunctionalInterface
public interface WeightSource {
    /**
     * The tensor {@code name}, shaped as {@link TensorLayout#shapes} says, in the model's compute type; with
     * {@link #models} above 1, the models' tensors stacked on a new leading axis.
     */
    NDArray load(String name);

    /** How many models' weights each tensor holds on its leading axis (1: plain tensors, no model axis). */
    default int models() {
        return 1;
    }

    /**
     * A per-feature vector of {@link #load} (a bias, a norm's weight) shaped to broadcast over activations
     * [models, tokens, width]: as stored for one model, [models, 1, width] for stacked ones.
     */
    default NDArray perFeature(NDArray vector) {
        return models() == 1 ? vector : vector.expandDims(1);
    }

    /** {@link #perFeature} of the tensor {@code name}. */
    default NDArray loadPerFeature(String name) {
        return perFeature(load(name));
    }

    /**
     * Whether the model owns what {@link #load} returns and may replace tensors by fused copies, closing the parts
     * (q/k/v in one matmul, gate/up in one): true for a checkpoint. False by default: arrays that training owns
     * stay the ones it computes gradients for, and its products stay bit-identical to the unfused ones.
     */
    default boolean fusible() {
        return false;
    }
}
