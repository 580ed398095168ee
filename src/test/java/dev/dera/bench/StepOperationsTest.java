package dev.dera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dera.lm.Architecture;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import org.junit.jupiter.api.Test;

class StepOperationsTest {
    private static final ModelConfig TINY = new ModelConfig(Architecture.LLAMA, 32, 48, 1, 4, 2, 8, 64, 64, 1e-5,
            10000.0, 1.0, true, false, 0);

    @Test
    void countsTopLevelOperatorsNotTheKernelsTheyCall() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(8, 8));
            int one = NativeOperations.count(() -> a.matMul(a));
            int three = NativeOperations.count(() -> a.matMul(a).add(a).softmax(-1));
            assertEquals(1, one, "a matmul is one call into the engine, whatever it runs inside");
            assertEquals(3, three);
        }
    }

    @Test
    void aSecondLayerAddsOperationsToTheStep() {
        try (LanguageModel one = BenchModels.randomModel(StepOperations.withLayers(TINY, 1));
                LanguageModel two = BenchModels.randomModel(StepOperations.withLayers(TINY, 2))) {
            int oneLayer = StepOperations.forwardStep(one, 4);
            int twoLayers = StepOperations.forwardStep(two, 4);
            assertTrue(oneLayer > 0, "one-layer step: " + oneLayer);
            assertTrue(twoLayers > oneLayer, twoLayers + " operations for two layers, " + oneLayer + " for one");
            assertEquals(twoLayers - oneLayer, StepOperations.perLayer(TINY, 1, 4), "the per-layer figure");
        }
    }

    @Test
    void aStackedPairStepsWithTheOperationsOfOneModel() {
        try (LanguageModel one = BenchModels.randomModel(StepOperations.withLayers(TINY, 2), 1);
                LanguageModel stacked = BenchModels.randomModel(StepOperations.withLayers(TINY, 2), 2)) {
            assertEquals(StepOperations.forwardStep(one, 4) + 1, StepOperations.forwardStep(stacked, 4),
                    "two stacked models add one operation to a step: the offset of the second model's token ids");
            assertEquals(StepOperations.perLayer(TINY, 1, 4), StepOperations.perLayer(TINY, 2, 4),
                    "a layer runs the same operations for one model and for a stacked pair");
        }
    }

    @Test
    void countsDoNotDependOnTheBatch() {
        try (LanguageModel model = BenchModels.randomModel(StepOperations.withLayers(TINY, 2))) {
            assertEquals(StepOperations.forwardStep(model, 2), StepOperations.forwardStep(model, 8));
        }
    }
}
