package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainableWeightsTest {

    private static final ModelConfig CONFIG = TinyTestModel.CONFIG;
    private static final GenerationConfig GENERATION = TinyTestModel.GENERATION;
    private static final List<ScoredSequence> BATCH = List.of(
            new ScoredSequence(new int[] {1, 5, 9, 12, 7, 30, 2}, 1),
            new ScoredSequence(new int[] {1, 6, 6, 21, 2}, 1),
            ScoredSequence.completion(new int[] {1, 17, 3}, new int[] {25, 39, 11, 2}));

    @Test
    void everyWeightGetsAGradientThroughTheInferenceForwardPass() {
        try (NDManager root = NDManager.newBaseManager();
                TrainableWeights weights = TrainableWeights.initialize(CONFIG, 3, root)) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    NDManager step = root.newSubManager();
                    LanguageModel model = LanguageModel.fromWeights(CONFIG, GENERATION, step, weights)) {
                collector.backward(SequenceScorer.sequenceLogProbs(model, BATCH, step).sum().neg());
            }
            weights.arrays().forEach((name, array) ->
                    assertTrue(array.getGradient().abs().sum().getFloat() > 0, "no gradient reaches " + name));
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesForAKeyProjectionWeight() {
        String name = "model.layers.0.self_attn.k_proj.weight";
        NDIndex element = new NDIndex("3, 5");
        try (NDManager root = NDManager.newBaseManager();
                TrainableWeights weights = TrainableWeights.initialize(CONFIG, 4, root)) {
            NDArray weight = weights.arrays().get(name);
            // Sharpen layer 0's attention so that a key weight moves the loss well above float32 rounding.
            weight.muli(30);
            weights.arrays().get("model.layers.0.self_attn.q_proj.weight").muli(30);
            double analytic;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    NDManager step = root.newSubManager();
                    LanguageModel model = LanguageModel.fromWeights(CONFIG, GENERATION, step, weights)) {
                collector.backward(SequenceScorer.sequenceLogProbs(model, BATCH, step).sum());
                analytic = weight.getGradient().get(element).getFloat();
            }
            float original = weight.get(element).getFloat();
            float epsilon = 5e-2f;
            weight.set(element, original + epsilon);
            double plus = totalLogProb(weights, root);
            weight.set(element, original - epsilon);
            double minus = totalLogProb(weights, root);
            double numeric = (plus - minus) / (2 * epsilon);
            assertTrue(Math.abs(analytic) > 1e-2, "gradient too small to compare: " + analytic);
            assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-4);
        }
    }

    @Test
    void sameSeedGivesSameWeightsAndHash() {
        try (NDManager root = NDManager.newBaseManager();
                TrainableWeights first = TrainableWeights.initialize(CONFIG, 9, root);
                TrainableWeights second = TrainableWeights.initialize(CONFIG, 9, root);
                TrainableWeights other = TrainableWeights.initialize(CONFIG, 10, root)) {
            assertEquals(first.sha256(), second.sha256());
            assertNotEquals(first.sha256(), other.sha256());
            Map<String, float[]> values = first.toFloats();
            assertEquals(first.parameterCount(), values.values().stream().mapToLong(v -> v.length).sum());
        }
    }

    @Test
    void trainingStepsLeaveNoArraysBehind() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (NDManager root = NDManager.newBaseManager();
                TrainableWeights weights = TrainableWeights.initialize(CONFIG, 5, root)) {
            int before = weights.manager().getManagedArrays().size();
            SftTrainer.train(weights, GENERATION, BATCH, new SftTrainer.Settings(1, 2, 1e-3, 0), quiet);
            int afterOneStep = weights.manager().getManagedArrays().size();
            SftTrainer.train(weights, GENERATION, BATCH, new SftTrainer.Settings(20, 2, 1e-3, 0), quiet);
            int afterTwentySteps = weights.manager().getManagedArrays().size();

            assertEquals(afterOneStep - before, afterTwentySteps - afterOneStep,
                    "a run of 20 steps leaves more arrays than a run of 1 (each run keeps only its Adam moments)");
        }
    }

    private static double totalLogProb(TrainableWeights weights, NDManager root) {
        try (NDManager step = root.newSubManager();
                LanguageModel model = LanguageModel.fromWeights(CONFIG, GENERATION, step, weights)) {
            return SequenceScorer.sequenceLogProbs(model, BATCH, step).sum().getFloat();
        }
    }
}
