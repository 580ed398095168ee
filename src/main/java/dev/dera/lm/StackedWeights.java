package dev.dera.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * The weights of models of one config (a reference and its fine-tune), each tensor stacked on a leading model
 * axis as it is read: the parts are closed at once, so memory holds one copy of every model's weights.
 */
final class StackedWeights implements WeightSource {
    private final List<WeightSource> models;

    StackedWeights(List<WeightSource> models) {
        this.models = List.copyOf(models);
    }

    @Override
    public NDArray load(String name) {
        try (NDList parts = new NDList()) {
            for (WeightSource model : models) {
                parts.add(model.load(name));
            }
            return NDArrays.stack(parts, 0);
        }
    }

    @Override
    public int models() {
        return models.size();
    }

    /** Like a checkpoint's: the stacked arrays are the model's own. */
    @Override
    public boolean fusible() {
        return true;
    }
}
