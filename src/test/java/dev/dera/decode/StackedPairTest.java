package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.ComputeType;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.ModelConfig;
import dev.dera.lm.ModelFolderWriter;
import dev.dera.lm.RandomWeights;
import dev.dera.realign.SamplingParams;
import dev.dera.testing.SharedModels;
import dev.dera.testing.ZooModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pair of one config runs as one stacked forward pass and gives what two passes give: logits within float32
 * rounding (|difference| at most {@link #LOGIT_BOUND} + {@link #LOGIT_BOUND} x |logit|: the batched matmul may sum
 * in another order than the plain one) and the same greedy ids; a pair of two configs falls back to two passes.
 */
class StackedPairTest {
    private static final double LOGIT_BOUND = 1e-5;
    private static final int STEPS = 6;

    static Stream<Arguments> pairs() {
        return Stream.of(Arguments.of("stories260K", SharedModels.reference(), SharedModels.aligned()),
                Arguments.of("llama", ZooModels.reference("llama"), ZooModels.aligned("llama")),
                Arguments.of("qwen3", ZooModels.reference("qwen3"), ZooModels.aligned("qwen3")),
                Arguments.of("gemma2", ZooModels.reference("gemma2"), ZooModels.aligned("gemma2")),
                Arguments.of("phi3", ZooModels.reference("phi3"), ZooModels.aligned("phi3")),
                Arguments.of("olmo2", ZooModels.reference("olmo2"), ZooModels.aligned("olmo2")),
                Arguments.of("gpt2", ZooModels.reference("gpt2"), ZooModels.aligned("gpt2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void oneStackedPassGivesTheLogitsOfTwoPasses(String name, Path reference, Path aligned) {
        try (ModelPair stacked = ModelPair.load(reference, aligned, Device.cpu(), ComputeType.FLOAT32);
                ModelPair apart = ModelPair.loadUnstacked(reference, aligned, Device.cpu(), ComputeType.FLOAT32);
                NDManager manager = NDManager.newBaseManager()) {
            assertTrue(stacked.stacked(), name + ": one config, so one pass");
            assertFalse(apart.stacked());
            int vocab = stacked.config().vocabSize();
            long[][] prompts = {{1, 7 % vocab, 12 % vocab, 30 % vocab, 5 % vocab}, {0, 0, 1, 9 % vocab, 4 % vocab}};
            long[][] mask = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
            try (PairCache stackedCache = stacked.newCache(manager, 2, 5 + STEPS);
                    PairCache apartCache = apart.newCache(manager, 2, 5 + STEPS)) {
                PairLogits one = stacked.prefill(manager.create(prompts), manager.create(mask), stackedCache, manager);
                PairLogits two = apart.prefill(manager.create(prompts), manager.create(mask), apartCache, manager);
                for (int step = 0; step < STEPS; step++) {
                    assertClose(two, one, name + " step " + step);
                    long[] next = one.reference().add(one.aligned()).argMax(1).toLongArray();
                    assertArrayEquals(two.reference().add(two.aligned()).argMax(1).toLongArray(), next,
                            name + ": the same greedy ids at step " + step);
                    one = stacked.step(manager.create(next), stackedCache, manager);
                    two = apart.step(manager.create(next), apartCache, manager);
                }
            }
        }
    }

    @Test
    void theDecoderGivesTheSameRowsStackedAsInTwoPasses() {
        List<DecodeRequest> requests = new ArrayList<>();
        try (ModelPair stacked = ModelPair.load(SharedModels.reference(), SharedModels.aligned(), Device.cpu(),
                ComputeType.FLOAT32);
                ModelPair apart = ModelPair.loadUnstacked(SharedModels.reference(), SharedModels.aligned(),
                        Device.cpu(), ComputeType.FLOAT32)) {
            for (String prompt : List.of("Once upon a time", "The little dog ran to the", "Lily")) {
                requests.add(new DecodeRequest(prompt, stacked.tokenizer().encode(prompt), new DecodeSettings(
                        new double[] {0, 0.5, 1, 2}, 2, 11L, new SamplingParams(1.0, 0, 0.9, 0),
                        StopConditions.maxNewTokens(24))));
            }
            List<DecodeResult> one = new DeraDecoder(stacked).decode(requests);
            List<DecodeResult> two = new DeraDecoder(apart).decode(requests);
            assertEquals(two.size(), one.size());
            for (int i = 0; i < one.size(); i++) {
                String row = one.get(i).promptId() + " lambda " + one.get(i).lambda();
                assertArrayEquals(two.get(i).completionIds(), one.get(i).completionIds(), row);
                assertArrayEquals(two.get(i).tokenLogprobs(), one.get(i).tokenLogprobs(), 1e-5f, row);
                assertArrayEquals(two.get(i).refTokenLogprobs(), one.get(i).refTokenLogprobs(), 1e-5f, row);
                assertArrayEquals(two.get(i).alignedTokenLogprobs(), one.get(i).alignedTokenLogprobs(), 1e-5f, row);
            }
        }
    }

    @Test
    void modelsOfDifferentShapesRunInTwoPasses(@TempDir Path dir) {
        ModelConfig config = ModelConfig.load(SharedModels.reference());
        ModelConfig wider = new ModelConfig(config.architecture(), config.hiddenSize(), 2 * config.intermediateSize(),
                config.numLayers(), config.numHeads(), config.numKvHeads(), config.headDim(), config.vocabSize(),
                config.maxPositions(), config.normEps(), config.rope(), config.tieWordEmbeddings(),
                config.attentionBias(), config.mlpBias(), config.slidingWindow(), config.slidingLayers(),
                config.queryPreAttnScalar(), config.attentionSoftCap(), config.finalSoftCap());
        Path aligned = dir.resolve("wider");
        RandomWeights.writeFolder(aligned, wider, new GenerationConfig(Set.of(2), 1), 3);
        ModelFolderWriter.copyTokenizer(SharedModels.reference(), aligned);
        try (ModelPair pair = ModelPair.load(SharedModels.reference(), aligned, Device.cpu(), ComputeType.FLOAT32)) {
            assertFalse(pair.stacked(), "an intermediate size of " + wider.intermediateSize() + " against "
                    + config.intermediateSize() + " cannot stack");
            int[] prompt = pair.tokenizer().encode("Once upon a time");
            DecodeResult atZero = new DeraDecoder(pair).decode(List.of(new DecodeRequest("p", prompt, greedyAtZero())))
                    .get(0);
            DecodeResult alone = decodeAlone(SharedModels.reference(), prompt);
            assertArrayEquals(alone.completionIds(), atZero.completionIds(), "lambda 0 is the reference alone");
        }
    }

    /** Greedy decode of the reference paired with itself (stacked): at lambda 0 the reference alone. */
    private static DecodeResult decodeAlone(Path reference, int[] prompt) {
        try (ModelPair self = ModelPair.load(reference, reference, Device.cpu(), ComputeType.FLOAT32)) {
            return new DeraDecoder(self).decode(List.of(new DecodeRequest("p", prompt, greedyAtZero()))).get(0);
        }
    }

    /** Greedy at lambda 0, 20 new tokens. */
    private static DecodeSettings greedyAtZero() {
        return new DecodeSettings(new double[] {0}, 1, 0L, SamplingParams.greedy(), StopConditions.maxNewTokens(20));
    }

    private static void assertClose(PairLogits expected, PairLogits actual, String what) {
        assertClose(expected.reference(), actual.reference(), what + ", reference");
        assertClose(expected.aligned(), actual.aligned(), what + ", aligned");
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], LOGIT_BOUND * (1 + Math.abs(e[i])), what + " [" + i + "]");
        }
    }
}
