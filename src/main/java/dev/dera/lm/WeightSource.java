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
}
