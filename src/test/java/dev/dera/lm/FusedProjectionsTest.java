package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.safetensors.Checkpoint;
import dev.dera.testing.ZooModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint's q/k/v and gate/up are fused at load (one matmul each); weights that training owns stay apart.
 * Both give the same logits, and the fused model keeps no copy of the parts.
 */
class FusedProjectionsTest {
    /** Float32 rounding: one wider matmul may sum in another order (zoo Gemma 2 differs by 1e-5 at logits near 30). */
    private static final double TOLERANCE = 1e-4;
    private static final long[][] TOKENS = {{3, 17, 5, 40, 9, 22, 31, 8}};

    /** Random Llama-family folders, and the zoo's reference models of the other families that store them apart. */
    static Stream<Arguments> folders() {
        return Stream.of(
                Arguments.of("llama", RandomModels.write(RandomModels.config(Architecture.LLAMA, false, 0, false), 5)),
                Arguments.of("llama attention and mlp biases", RandomModels.write(RandomModels.llamaWithBiases(), 5)),
                Arguments.of("qwen2 biases",
                        RandomModels.write(RandomModels.config(Architecture.QWEN2, true, 0, true), 5)),
                Arguments.of("mistral window 4",
                        RandomModels.write(RandomModels.config(Architecture.MISTRAL, false, 4, true), 5)),
                Arguments.of("zoo gemma2", ZooModels.reference("gemma2")),
                Arguments.of("zoo qwen3", ZooModels.reference("qwen3")),
                Arguments.of("zoo olmo2", ZooModels.reference("olmo2")),
                Arguments.of("zoo llama", ZooModels.reference("llama")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folders")
    void fusedLoadMatchesSeparateProjectionsAndClosesTheParts(String name, Path dir) {
        ModelConfig config = ModelConfig.load(dir);
        try (LanguageModel fused = LanguageModel.load(dir); NDManager owner = NDManager.newBaseManager();
                Checkpoint checkpoint = Checkpoint.open(dir)) {
            WeightLoader loader = new WeightLoader(checkpoint, config, owner, ComputeType.FLOAT32.dataType());
            WeightSource trainingLike = loader::load;
            assertTrue(loader.fusible());
            assertFalse(trainingLike.fusible(), "a source other than a checkpoint is not fused by default");
            try (LanguageModel separate = LanguageModel.fromWeights(config, fused.generation(), owner, trainingLike)) {
                double worst = maxAbsDiff(allLogits(fused), allLogits(separate));
                assertTrue(worst <= TOLERANCE, name + ": fused and separate logits differ by " + worst);
                // Per layer, 5 projections (q, k, v, gate, up), each a weight and its transposed view, become 2, and
                // 3 q/k/v biases 1, 2 gate/up biases 1: the parts are closed, not kept beside the fused tensors.
                int perLayer = (5 - 2) * 2 + (config.attentionBias() ? 2 : 0) + (config.mlpBias() ? 1 : 0);
                assertEquals(arrays(owner) - perLayer * config.numLayers(), arrays(fused.manager()), name);
            }
        }
    }

    private static int arrays(NDManager manager) {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }

    private static float[] allLogits(LanguageModel model) {
        try (NDManager manager = model.manager().newSubManager();
                KvCache cache = model.newCache(manager, 1, TOKENS[0].length + 1)) {
            NDArray ids = manager.create(TOKENS);
            NDArray mask = manager.ones(ids.getShape(), ids.getDataType());
            float[] prefill = model.prefillAllLogits(ids, mask, cache, manager).toFloatArray();
            float[] step = model.step(manager.create(new long[] {12}), cache, manager).toFloatArray();
            float[] all = Arrays.copyOf(prefill, prefill.length + step.length);
            System.arraycopy(step, 0, all, prefill.length, step.length);
            return all;
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
