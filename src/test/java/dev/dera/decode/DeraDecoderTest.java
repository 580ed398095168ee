package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.dera.lm.ComputeType;
import dev.dera.lm.GreedyCompletion;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfigException;
import dev.dera.lm.ModelFolderCheck;
import dev.dera.realign.SamplingParams;
import dev.dera.lm.safetensors.TensorDType;
import dev.dera.testing.ModelCopies;
import dev.dera.testing.SharedModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identities, determinism and stopping of the DeRa decoder on stories260K and its perturbed sibling. */
class DeraDecoderTest {
    private static final SamplingParams NUCLEUS = new SamplingParams(1.0, 0, 0.9, 0);
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

    @Test
    void lambdaZeroIsTheReferenceAndLambdaOneTheAlignedModel() {
        for (String prompt : List.of("Once upon a time", "The cat")) {
            int[] ids = models.tokenizer().encode(prompt);
            List<DecodeResult> results = decoder.decode(List.of(greedy(prompt, ids, 30, 0.0, 1.0)));
            try (LanguageModel reference = LanguageModel.load(SharedModels.reference());
                    LanguageModel aligned = LanguageModel.load(SharedModels.aligned())) {
                assertArrayEquals(GreedyCompletion.run(reference, ids, 30).completionIds(),
                        results.get(0).completionIds());
                assertArrayEquals(GreedyCompletion.run(aligned, ids, 30).completionIds(),
                        results.get(1).completionIds());
            }
            assertEquals(0.0, results.get(0).klToRef(), 1e-6);
        }
    }

    @Test
    void everyLambdaGivesTheSameTokensWhenBothModelsAreTheSame() {
        try (ModelPair same = ModelPair.load(SharedModels.reference(), SharedModels.reference(), Device.cpu(),
                ComputeType.FLOAT32)) {
            int[] ids = same.tokenizer().encode("Once upon a time");
            List<DecodeResult> results = new DeraDecoder(same).decode(List.of(greedy("p", ids, 40, 0, 0.5, 1, 2)));
            for (DecodeResult result : results) {
                assertArrayEquals(results.get(0).completionIds(), result.completionIds(), "lambda " + result.lambda());
                assertEquals(0.0, result.klToRef(), 1e-4);
            }
        }
    }

    @Test
    void samplesDependOnlyOnTheirKeyNotOnTheBatch() {
        List<DecodeRequest> requests = new ArrayList<>();
        for (String prompt : List.of("Once upon a time", "The dog", "Lily's mom said")) {
            requests.add(sampled(prompt, 7L, 20));
        }
        Map<String, int[]> together = byKey(decoder.decode(requests));
        List<DecodeRequest> reversed = new ArrayList<>(requests);
        Collections.reverse(reversed);
        Map<String, int[]> reversedOrder = byKey(decoder.decode(reversed));
        Map<String, int[]> oneAtATime = new HashMap<>();
        for (DecodeRequest request : requests) {
            oneAtATime.putAll(byKey(decoder.decode(List.of(request))));
        }
        assertEquals(27, together.size());
        for (String key : together.keySet()) {
            assertArrayEquals(together.get(key), reversedOrder.get(key), key);
            assertArrayEquals(together.get(key), oneAtATime.get(key), key);
        }
        Map<String, int[]> otherSeed = byKey(decoder.decode(List.of(sampled("Once upon a time", 8L, 20))));
        long differing = otherSeed.keySet().stream()
                .filter(k -> !Arrays.equals(otherSeed.get(k), together.get(k))).count();
        assertTrue(differing >= 6, "only " + differing + " of 9 samples changed with the seed");
    }

    @Test
    void rowsFinishingAtDifferentStepsLeaveTheOthersUnchanged() {
        int[] ids = models.tokenizer().encode("Once upon a time");
        List<DecodeRequest> requests = List.of(greedy("a", ids, 5, 0.5), greedy("b", ids, 23, 0.5, 2.0),
                greedy("c", models.tokenizer().encode("The dog"), 12, 1.0));
        List<DecodeResult> batched = decoder.decode(requests);
        assertEquals(List.of(5, 23, 23, 12),
                batched.stream().map(r -> r.completionIds().length).toList());
        int row = 0;
        for (DecodeRequest request : requests) {
            for (DecodeResult alone : decoder.decode(List.of(request))) {
                assertArrayEquals(alone.completionIds(), batched.get(row++).completionIds());
            }
        }
    }

    @Test
    void stopStringsAreFoundAcrossTokenBoundariesAndCutFromTheText() {
        int[] ids = models.tokenizer().encode("Once upon a time");
        DecodeResult plain = decoder.decode(List.of(greedy("p", ids, 30, 0.0))).get(0);
        assertTrue(plain.completionText().startsWith(", there was a little girl named Lily. She"), plain.completionText());

        DecodeRequest request = new DecodeRequest("p", ids, new DecodeSettings(new double[] {0.0}, 1, 0L,
                SamplingParams.greedy(), new StopConditions(30, Set.of(), List.of("Lily. She", "never"))));
        DecodeResult stopped = decoder.decode(List.of(request)).get(0);
        assertEquals("stop", stopped.finishReason());
        assertEquals(", there was a little girl named ", stopped.completionText());
        String throughStop = models.tokenizer().decodeCompletion(ids, stopped.completionIds());
        assertTrue(throughStop.endsWith("Lily. She"), throughStop);
        assertArrayEquals(Arrays.copyOf(plain.completionIds(), stopped.completionIds().length),
                stopped.completionIds());
    }

    @Test
    void extraStopTokenIdsEndARow() {
        int[] ids = models.tokenizer().encode("Once upon a time");
        DecodeResult plain = decoder.decode(List.of(greedy("p", ids, 30, 0.0))).get(0);
        int stopToken = plain.completionIds()[3];
        DecodeRequest request = new DecodeRequest("p", ids, new DecodeSettings(new double[] {0.0}, 1, 0L,
                SamplingParams.greedy(), new StopConditions(30, Set.of(stopToken), List.of())));
        DecodeResult stopped = decoder.decode(List.of(request)).get(0);
        assertEquals("stop", stopped.finishReason());
        assertArrayEquals(Arrays.copyOf(plain.completionIds(), 4), stopped.completionIds());
    }

    @Test
    void theContextLimitEndsRowsAndTooLongPromptsBecomeErrorRows() {
        int context = models.contextLength();
        int[] nearlyFull = new int[context - 7];
        Arrays.fill(nearlyFull, 261);
        nearlyFull[0] = 1;
        int[] full = new int[context];
        Arrays.fill(full, 261);
        List<DecodeResult> results = decoder.decode(List.of(greedy("near", nearlyFull, 50, 0.5),
                greedy("full", full, 50, 0.5), greedy("fine", models.tokenizer().encode("The dog"), 4, 0.5)));
        assertEquals(7, results.get(0).completionIds().length);
        assertEquals("length", results.get(0).finishReason());
        assertEquals("error", results.get(1).finishReason());
        assertTrue(results.get(1).error().contains("context"), results.get(1).error());
        assertEquals(4, results.get(2).completionIds().length);
        assertNull(results.get(2).error());
    }

    @Test
    void badRequestsAndMismatchedModelsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> greedy("p", new int[] {1}, 4, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> greedy("p", new int[] {1}, 4, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> greedy("p", new int[] {1}, 0, 0.5));
        ModelConfigException e = assertThrows(ModelConfigException.class,
                () -> ModelFolderCheck.requireSameTokenizer(SharedModels.reference(), DifferentTokenizer.folder()));
        assertTrue(e.getMessage().contains("different tokenizers"), e.getMessage());
    }

    @Test
    void rowsWhoseLogitsTurnNonFiniteBecomeErrorRowsAndTheOthersCarryOn() {
        int poisoned = 10; // a byte-fallback token that stories260K never generates
        Path broken = ModelCopies.copy(SharedModels.aligned(), TensorDType.F32,
                weights -> Arrays.fill(weights.get("model.embed_tokens.weight"), poisoned * 64, poisoned * 64 + 64,
                        Float.NaN));
        try (ModelPair pair = ModelPair.load(SharedModels.reference(), broken, Device.cpu(), ComputeType.FLOAT32)) {
            int[] healthy = pair.tokenizer().encode("Once upon a time");
            List<DecodeResult> results = new DeraDecoder(pair).decode(List.of(
                    greedy("healthy", healthy, 20, 0.0, 0.5), greedy("poisoned", new int[] {1, poisoned, 403}, 20, 0.5)));
            assertEquals(List.of("length", "length", "error"), results.stream().map(DecodeResult::finishReason).toList());
            assertTrue(results.get(2).error().contains("non-finite"), results.get(2).error());
            assertEquals(0, results.get(2).completionIds().length);
            assertArrayEquals(decoder.decode(List.of(greedy("healthy", healthy, 20, 0.5))).get(0).completionIds(),
                    results.get(1).completionIds());
        }
    }

    @Test
    void negativeAndExtrapolatingLambdasDecode() {
        int[] ids = models.tokenizer().encode("The dog");
        List<DecodeResult> results = decoder.decode(List.of(greedy("p", ids, 10, -0.5, 3.0)));
        for (DecodeResult result : results) {
            assertEquals(10, result.completionIds().length);
            assertFalse(Double.isNaN(result.klToRef()));
            assertNotEquals(0.0, result.klToRef());
        }
    }

    @Test
    void maxNewTokensBeyondTheContextIsBoundedByTheContextNotAllocated() {
        int[] prompt = Arrays.copyOf(models.tokenizer().encode("Once upon a time there was a dog. ".repeat(80)), 506);
        DecodeResult unbounded = decoder.decode(List.of(greedy("p", prompt, Integer.MAX_VALUE, 0.5))).get(0);
        DecodeResult exact = decoder.decode(List.of(greedy("p", prompt, 512 - 506, 0.5))).get(0);
        assertNull(unbounded.error());
        assertArrayEquals(exact.completionIds(), unbounded.completionIds());
    }

    private static DecodeRequest greedy(String id, int[] promptIds, int maxNewTokens, double... lambdas) {
        return new DecodeRequest(id, promptIds, new DecodeSettings(lambdas, 1, 0L, SamplingParams.greedy(),
                StopConditions.maxNewTokens(maxNewTokens)));
    }

    private static DecodeRequest sampled(String prompt, long seed, int maxNewTokens) {
        return new DecodeRequest(prompt, models.tokenizer().encode(prompt), new DecodeSettings(
                new double[] {0, 0.5, 1.5}, 3, seed, NUCLEUS, StopConditions.maxNewTokens(maxNewTokens)));
    }

    private static Map<String, int[]> byKey(List<DecodeResult> results) {
        Map<String, int[]> map = new HashMap<>();
        for (DecodeResult r : results) {
            map.put(r.promptId() + "|" + r.lambda() + "|" + r.sampleIndex(), r.completionIds());
        }
        return map;
    }
}
