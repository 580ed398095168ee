package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Random-weight Llama (with and without biases), Mistral (sliding window) and Qwen2 (biases) folders load and keep the forward equalities. */
class ArchitecturesTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("llama untied", RandomModels.config(Architecture.LLAMA, false, 0, false)),
                Arguments.of("mistral window 6", RandomModels.config(Architecture.MISTRAL, false, 6, true)),
                Arguments.of("qwen2 biases", RandomModels.config(Architecture.QWEN2, true, 0, true)),
                Arguments.of("llama attention and mlp biases", RandomModels.llamaWithBiases()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void loadsAndKeepsCacheAndPaddingEqualities(String name, ModelConfig config) {
        Path dir = RandomModels.write(config, 42);
        assertEquals(config, ModelConfig.load(dir));
        try (LanguageModel model = LanguageModel.load(dir)) {
            int[] tokens = randomTokens(new Random(1), 20, config.vocabSize());
            for (int split : new int[] {1, 7, 19}) {
                double deviation = ForwardChecks.cachedVersusRecomputed(model, tokens, split);
                assertTrue(deviation <= TOLERANCE, name + " split " + split + ": " + deviation);
            }
            List<int[]> prompts = List.of(randomTokens(new Random(2), 3, config.vocabSize()),
                    randomTokens(new Random(3), 11, config.vocabSize()),
                    randomTokens(new Random(4), 1, config.vocabSize()));
            double deviation = ForwardChecks.batchedVersusAlone(model, prompts, new int[] {5, 9, 13, 17, 21, 25, 29});
            assertTrue(deviation <= TOLERANCE, name + " padding: " + deviation);
        }
    }

    private static int[] randomTokens(Random random, int length, int vocab) {
        return random.ints(length, 0, vocab).toArray();
    }
}
