package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.safetensors.SafetensorsWriter;
import dev.dera.lm.safetensors.SafetensorsWriter.WritableTensor;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.ZooModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every zoo family keeps the forward equalities past Gemma 2's window of 8: cached decoding equals recomputation,
 * left padding changes nothing (learned positions and sliding windows included).
 */
class ZooForwardTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama", "qwen3", "gemma2", "phi3", "olmo2", "gpt2"})
    void cachedEqualsRecomputedAndPaddingChangesNothing(String family) {
        ModelConfig config = ModelConfig.load(ZooModels.reference(family));
        try (LanguageModel model = LanguageModel.load(ZooModels.reference(family))) {
            int[] tokens = randomTokens(new Random(1), 24, config.vocabSize());
            for (int split : new int[] {3, 17}) {
                double deviation = ForwardChecks.cachedVersusRecomputed(model, tokens, split);
                assertTrue(deviation <= TOLERANCE, family + " split " + split + ": " + deviation);
            }
            List<int[]> prompts = List.of(randomTokens(new Random(2), 3, config.vocabSize()),
                    randomTokens(new Random(3), 12, config.vocabSize()),
                    randomTokens(new Random(4), 1, config.vocabSize()));
            double deviation = ForwardChecks.batchedVersusAlone(model, prompts,
                    IntStream.range(0, 8).map(i -> 100 + 37 * i).toArray());
            assertTrue(deviation <= TOLERANCE, family + " padding: " + deviation);
        }
    }

    @Test
    void gemma2SlidingLayersForgetTokensBeyondTheWindowOnly() {
        Path windowed = ZooModels.reference("gemma2");
        Path global = ModelCopies.withEditedConfig(windowed, c -> c.addProperty("sliding_window", 1000));
        int[] tokens = randomTokens(new Random(5), 20, 32000);
        try (LanguageModel slide = LanguageModel.load(windowed); LanguageModel full = LanguageModel.load(global);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray a = allLogits(slide, tokens, manager);
            NDArray b = allLogits(full, tokens, manager);
            for (int t = 0; t < tokens.length; t++) {
                double deviation = ForwardChecks.maxAbsDiff(a.get(0, t), b.get(0, t));
                if (t < 8) {
                    assertTrue(deviation <= 1e-6, "token " + t + " sees its whole prefix either way: " + deviation);
                } else {
                    assertTrue(deviation > 1e-3, "token " + t + " must not see beyond the window: " + deviation);
                }
            }
        }
    }

    @Test
    void gpt2CheckpointsWithoutTheTransformerPrefixLoadTheSameModel() {
        Path source = ZooModels.reference("gpt2");
        ModelConfig config = ModelConfig.load(source);
        Map<String, long[]> shapes = TensorLayout.shapes(config);
        Map<String, WritableTensor> unprefixed = new TreeMap<>();
        FloatWeights.read(source, config).forEach((name, values) -> unprefixed.put(
                name.replaceFirst("^transformer\\.", ""), WritableTensor.ofFloats(TensorDType.F32, shapes.get(name), values)));
        assertFalse(unprefixed.containsKey("transformer.wte.weight"));
        Path copy = ModelCopies.withEditedConfig(source, c -> { });
        SafetensorsWriter.write(copy.resolve("model.safetensors"), unprefixed, Map.of("format", "pt"));
        int[] tokens = randomTokens(new Random(6), 6, config.vocabSize());
        try (LanguageModel original = LanguageModel.load(source); LanguageModel openAi = LanguageModel.load(copy);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(0.0, ForwardChecks.maxAbsDiff(allLogits(original, tokens, manager),
                    allLogits(openAi, tokens, manager)));
        }
    }

    private static NDArray allLogits(LanguageModel model, int[] tokens, NDManager manager) {
        KvCache cache = model.newCache(manager, 1, tokens.length);
        long[] mask = new long[tokens.length];
        Arrays.fill(mask, 1);
        return model.prefillAllLogits(manager.create(Arrays.stream(tokens).asLongStream().toArray()).expandDims(0),
                manager.create(mask).expandDims(0), cache, manager);
    }

    private static int[] randomTokens(Random random, int length, int vocab) {
        return random.ints(length, 0, vocab).toArray();
    }
}
