package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import dev.dera.lm.ComputeType;
import dev.dera.testing.DeraVector;
import dev.dera.testing.ZooModels;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family of the model zoo decodes its expected greedy DeRa vectors through the decoder: ids exactly,
 * log-probabilities within 1e-3, KL to the reference within 1%. All vectors of a family run as one batch.
 */
class ZooVectorsTest {

    static Stream<Arguments> families() {
        List<String> names = ZooModels.vectorNames();
        assertFalse(names.isEmpty(), "no vector files under " + ZooModels.root());
        return names.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void decodesEveryVectorOfTheFamily(String name) {
        List<DeraVector> vectors = ZooModels.vectors(name);
        try (ModelPair models = ModelPair.load(ZooModels.reference(name), ZooModels.aligned(name), Device.cpu(),
                ComputeType.FLOAT32)) {
            List<DecodeRequest> requests = vectors.stream()
                    .map(v -> DeraVectorsTest.requestFor(v, name + "-" + vectors.indexOf(v)))
                    .collect(Collectors.toList());
            List<DecodeResult> results = new DeraDecoder(models).decode(requests);
            for (int i = 0; i < vectors.size(); i++) {
                assertMatches(vectors.get(i), results.get(i));
            }
        }
    }

    private static void assertMatches(DeraVector expected, DecodeResult actual) {
        assertArrayEquals(expected.completion_ids, actual.completionIds(), "completion ids of " + expected);
        assertClose(expected.token_logprobs, actual.tokenLogprobs(), "token_logprobs of " + expected);
        assertClose(expected.ref_token_logprobs, actual.refTokenLogprobs(), "ref_token_logprobs of " + expected);
        assertClose(expected.aligned_token_logprobs, actual.alignedTokenLogprobs(),
                "aligned_token_logprobs of " + expected);
        assertEquals(expected.kl_to_ref, actual.klToRef(), Math.max(0.01 * expected.kl_to_ref, 1e-6),
                "kl_to_ref of " + expected);
        assertEquals(expected.finish_reason, actual.finishReason());
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-3, what + "[" + i + "]");
        }
    }
}
