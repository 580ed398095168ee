package dev.dera.lm;

import ai.djl.ndarray.NDArray;

/**
 * Where a model's weights come from, by Hugging Face tensor name: a checkpoint on disk, or arrays that training
 * owns (with gradients attached) so that the same forward pass serves inference and training.
 */
@FunctionalInterface
public interface WeightSource {
    /** The tensor {@code name}, shaped as {@link TensorLayout#shapes} says, in the model's compute type. */
    NDArray load(String name);

    /**
     * Whether the model owns what {@link #load} returns and may replace tensors by fused copies, closing the parts
     * (q/k/v in one matmul, gate/up in one): true for a checkpoint. False by default: arrays that training owns
     * stay the ones it computes gradients for, and its products stay bit-identical to the unfused ones.
     */
    default boolean fusible() {
        return false;
    }
}
