package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.dera.lm.ComputeType;
import dev.dera.realign.SamplingParams;
import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every expected greedy DeRa decode, alone and inside one mixed batch holding all of them. */
class DeraVectorsTest {
    private static ModelPair models;
    private static DeraDecoder decoder;

    @BeforeAll
    static void load() {
        models = ModelPair.load(SharedModels.reference(), SharedModels.aligned(), Device.cpu(), ComputeType.FLOAT32);
        decoder = new DeraDecoder(models);
    }

    @AfterAll
    static void close() {
        models.close();
    }

    static List<DeraVector> vectors() {
        return SharedModels.greedyVectors();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodedAloneMatchesTheIndependentImplementation(DeraVector expected) {
        DecodeResult actual = decoder.decode(List.of(requestFor(expected, "alone"))).get(0);
        assertMatches(expected, actual);
    }

    @Test
    void oneMixedBatchOfAllCasesGivesTheSameResults() {
        List<DeraVector> all = vectors();
        List<DecodeRequest> requests = all.stream()
                .map(v -> requestFor(v, "case-" + all.indexOf(v)))
                .collect(Collectors.toList());
        List<DecodeResult> batched = decoder.decode(requests);
        assertEquals(all.size(), batched.size());
        for (int i = 0; i < all.size(); i++) {
            assertMatches(all.get(i), batched.get(i));
            // Token ids are identical; log-probs agree to float32 rounding (BLAS sums in another order per batch).
            DecodeResult alone = decoder.decode(List.of(requests.get(i))).get(0);
            assertArrayEquals(alone.completionIds(), batched.get(i).completionIds());
            assertArrayEquals(alone.tokenLogprobs(), batched.get(i).tokenLogprobs(), 1e-4f);
        }
    }

    static DecodeRequest requestFor(DeraVector v, String promptId) {
        return new DecodeRequest(promptId, v.prompt_ids, new DecodeSettings(new double[] {v.lambda}, 1, 0L,
                SamplingParams.greedy(), StopConditions.maxNewTokens(v.max_new_tokens)));
    }

    static void assertMatches(DeraVector expected, DecodeResult actual) {
        assertArrayEquals(expected.completion_ids, actual.completionIds(), "completion ids of " + expected);
        assertClose(expected.token_logprobs, actual.tokenLogprobs(), "token_logprobs");
        assertClose(expected.ref_token_logprobs, actual.refTokenLogprobs(), "ref_token_logprobs");
        assertClose(expected.aligned_token_logprobs, actual.alignedTokenLogprobs(), "aligned_token_logprobs");
        assertEquals(expected.kl_to_ref, actual.klToRef(), 1e-3, "kl_to_ref");
        assertEquals(expected.finish_reason, actual.finishReason());
        assertEquals(expected.completion_text, actual.completionText());
        assertEquals(expected.prompt_ids.length, actual.promptTokenCount());
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4, what + "[" + i + "]");
        }
    }
}
