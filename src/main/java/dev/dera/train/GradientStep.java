package dev.dera.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;

/**
 * One optimization step over {@link TrainableWeights}: builds the inference model over the weights, computes a
 * scalar loss with autograd on, backpropagates and lets the optimizer update. The model is rebuilt every step
 * inside the collector because it keeps transposed views of the weights, which must be recorded by autograd; an
 * {@link NDScope} closes every array the step made, so memory stays flat over training.
 */
final class GradientStep {

    /**
     * A scalar loss of the model, computed in arrays of {@code manager}. Constants that multiply or divide arrays
     * on the differentiable path come from {@link dev.dera.lm.NativeScalar}, never a Java number (see there why).
     */
    @FunctionalInterface
    interface Loss {
        NDArray compute(LanguageModel model, NDManager manager);
    }

    private final TrainableWeights weights;
    private final GenerationConfig generation;
    private final AdamOptimizer optimizer;

    GradientStep(TrainableWeights weights, GenerationConfig generation, AdamOptimizer optimizer) {
        this.weights = weights;
        this.generation = generation;
        this.optimizer = optimizer;
    }

    /** Runs one step and returns the loss before the update. */
    float run(Loss loss) {
        float value;
        try (NDManager manager = weights.manager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDScope scope = new NDScope();
                LanguageModel model = LanguageModel.fromWeights(weights.config(), generation, manager, weights)) {
            NDArray result = loss.compute(model, manager);
            collector.backward(result);
            value = result.getFloat();
        }
        optimizer.step();
        return value;
    }
}
