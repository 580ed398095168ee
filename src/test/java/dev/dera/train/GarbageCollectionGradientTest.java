package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on when the garbage collector runs. DJL backs arrays made from Java values with direct
 * memory that is freed once the array is closed and collected; if autograd saved such an array for the backward
 * pass, a collection between forward and backward silently changed the gradients (this made full training runs
 * differ between processes). Here a collection, followed by fresh direct buffers that reuse the freed memory, runs
 * between the forward and the backward pass of each training loss.
 */
class GarbageCollectionGradientTest {

    private static final ModelConfig CONFIG = TinyTestModel.CONFIG;
    private static final GenerationConfig GENERATION = TinyTestModel.GENERATION;
    private static final List<ScoredSequence> SEQUENCES = List.of(
            new ScoredSequence(new int[] {1, 5, 9, 12, 7, 30, 2}, 1),
            ScoredSequence.completion(new int[] {1, 17, 3}, new int[] {25, 39, 11, 2}),
            new ScoredSequence(new int[] {1, 6, 6, 21, 2}, 1),
            ScoredSequence.completion(new int[] {1, 17, 3}, new int[] {8, 2}));

    @Test
    void sftGradientsSurviveACollectionBeforeBackward() {
        assertSameGradients((model, manager) -> SftTrainer.loss(model, SEQUENCES, manager));
    }

    @Test
    void dpoGradientsSurviveACollectionBeforeBackward() {
        float[] referenceMargins = {-0.5f, 1.25f};
        assertSameGradients((model, manager) -> DpoTrainer.loss(model, SEQUENCES, referenceMargins, 0.1, manager));
    }

    private static void assertSameGradients(GradientStep.Loss loss) {
        try (NDManager root = NDManager.newBaseManager();
                TrainableWeights weights = TrainableWeights.initialize(CONFIG, 11, root)) {
            Map<String, float[]> undisturbed = gradients(weights, loss, false);
            Map<String, float[]> collected = gradients(weights, loss, true);
            undisturbed.forEach((name, expected) -> assertArrayEquals(expected, collected.get(name),
                    "gradient of " + name + " changed when the garbage collector ran before backward"));
        }
    }

    private static Map<String, float[]> gradients(TrainableWeights weights, GradientStep.Loss loss, boolean collect) {
        try (NDManager step = weights.manager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector();
                LanguageModel model = LanguageModel.fromWeights(CONFIG, GENERATION, step, weights)) {
            NDArray value = loss.compute(model, step);
            if (collect) {
                collectAndReuseFreedMemory();
            }
            collector.backward(value);
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        weights.arrays().forEach((name, array) -> {
            NDArray gradient = array.getGradient();
            gradients.put(name, gradient.toFloatArray());
            gradient.subi(gradient);
        });
        return gradients;
    }

    private static void collectAndReuseFreedMemory() {
        System.gc();
        try {
            Thread.sleep(100); // lets the reference handler free the collected buffers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> reused = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 * (1 + i % 8));
            buffer.putFloat(0, 12345f);
            reused.add(buffer);
        }
    }
}
