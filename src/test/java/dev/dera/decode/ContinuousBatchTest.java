package dev.dera.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import dev.dera.lm.ComputeType;
import dev.dera.realign.SamplingParams;
import dev.dera.testing.DeraVector;
import dev.dera.testing.SharedModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A row's tokens do not depend on how many rows decode at once, on when its prompt was admitted, on the prefill
 * chunking or on static versus continuous admission; native memory returns to its start after many admissions.
 */
class ContinuousBatchTest {
    /** Log-probabilities of the same row in different batches differ by float32 rounding only (BLAS sum order). */
    private static final float LOGPROB_BOUND = 1e-4f;
    private static final String[] TEXTS = {"Once upon a time", "The dog", "Lily wanted to play with her big red ball",
        "Tom and his mom went to the park. They saw a big tree", "One day", "The sun was shining and the birds sang",
        "Sam had a toy car", "A little girl named Sue found a shiny stone near the river"};
    private static ModelPair models;

    @BeforeAll
    static void load() {
        models = ModelPair.load(SharedModels.reference(), SharedModels.aligned(), Device.cpu(), ComputeType.FLOAT32);
    }

    @AfterAll
    static void close() {
        models.close();
    }

    @Test
    void rowsDoNotDependOnMaxActiveRowsAdmissionOrderOrPrefillChunks() {
        List<DecodeRequest> requests = spreadRequests();
        int allRows = requests.stream().mapToInt(DecodeRequest::rowCount).sum();
        Map<String, DecodeResult> expected = byRow(new DeraDecoder(models).decode(requests));
        assertTrue(expected.values().stream().map(r -> r.completionIds().length).distinct().count() > 5,
                "the workload has a spread of completion lengths");
        List<DecodeRequest> reversed = new ArrayList<>(requests);
        Collections.reverse(reversed);
        List<DecodeRequest> shuffled = new ArrayList<>(requests);
        Collections.shuffle(shuffled, new Random(3));
        for (int maxActiveRows : new int[] {1, 3, 7, allRows}) {
            for (List<DecodeRequest> order : List.of(requests, reversed, shuffled)) {
                BatchLimits limits = new BatchLimits(maxActiveRows, 2, 5, BatchLimits.Admission.CONTINUOUS);
                assertSameRows(expected, new DeraDecoder(models, limits).decode(order), "max active rows "
                        + maxActiveRows);
            }
        }
        BatchLimits drained = BatchLimits.continuous(7).withAdmission(BatchLimits.Admission.WHEN_EMPTY);
        assertSameRows(expected, new DeraDecoder(models, drained).decode(shuffled), "static admission");
    }

    @Test
    void theIndependentVectorsHoldWithThreeActiveRowsAndChunkedPrefill() {
        List<DeraVector> all = SharedModels.greedyVectors();
        List<DecodeRequest> requests = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            requests.add(DeraVectorsTest.requestFor(all.get(i), "case-" + i));
        }
        BatchLimits limits = new BatchLimits(3, 2, 3, BatchLimits.Admission.CONTINUOUS);
        List<DecodeResult> results = new DeraDecoder(models, limits).decode(requests);
        for (int i = 0; i < all.size(); i++) {
            DeraVectorsTest.assertMatches(all.get(i), results.get(i));
        }
    }

    @Test
    void promptsStreamOutAsTheirLastRowFinishes() {
        List<DecodeRequest> requests = spreadRequests();
        int[] steps = new int[1];
        List<Integer> stepsAtEachPrompt = new ArrayList<>();
        Set<Integer> indices = new HashSet<>();
        try (ContinuousBatch batch = new DeraDecoder(models, BatchLimits.continuous(6))
                .start(requests, (step, tokens) -> steps[0] = step + 1)) {
            batch.forEachRemaining(prompt -> {
                stepsAtEachPrompt.add(steps[0]);
                indices.add(prompt.index());
                assertEquals(requests.get(prompt.index()).rowCount(), prompt.results().size());
            });
        }
        assertEquals(requests.size(), indices.size());
        assertTrue(stepsAtEachPrompt.get(0) < steps[0] / 2,
                "the first prompt came out at step " + stepsAtEachPrompt.get(0) + " of " + steps[0]);
    }

    @Test
    void aLongPromptIsPrefilledInChunksWhileTheOtherRowsKeepDecoding() {
        StopConditions forty = StopConditions.maxNewTokens(40);
        SamplingParams greedy = SamplingParams.greedy();
        int[] longPrompt = models.tokenizer().encode(String.join(" ", TEXTS));
        List<DecodeRequest> requests = List.of(
                new DecodeRequest("decoding", models.tokenizer().encode(TEXTS[0]),
                        new DecodeSettings(new double[] {0.5, 1}, 1, 0L, greedy, forty)),
                new DecodeRequest("short", models.tokenizer().encode(TEXTS[1]),
                        new DecodeSettings(new double[] {1}, 1, 0L, greedy, StopConditions.maxNewTokens(2))),
                new DecodeRequest("long", longPrompt,
                        new DecodeSettings(new double[] {1}, 1, 0L, greedy, forty)));
        int chunkTokens = 8;
        List<Integer> rowsPerStep = new ArrayList<>();
        List<DecodeResult> results = new DeraDecoder(models,
                new BatchLimits(3, 1, chunkTokens, BatchLimits.Admission.CONTINUOUS))
                .decode(requests, (step, tokens) -> rowsPerStep.add(tokens));
        // "short" leaves after step 1; from step 2 one chunk of "long" is prefilled per step, the two "decoding" rows
        // stepping beside it, and "long" joins in the step of its last chunk
        int chunks = (longPrompt.length + chunkTokens - 1) / chunkTokens;
        assertTrue(chunks > 5, "the long prompt takes several chunks: " + longPrompt.length + " tokens");
        assertEquals(List.of(3, 3), rowsPerStep.subList(0, 2));
        assertEquals(Collections.nCopies(chunks - 1, 2), rowsPerStep.subList(2, 1 + chunks));
        assertEquals(3, rowsPerStep.get(1 + chunks));
        DecodeResult alone = new DeraDecoder(models).decode(List.of(requests.get(2))).get(0);
        assertArrayEquals(alone.completionIds(), results.get(3).completionIds());
        assertArrayEquals(alone.tokenLogprobs(), results.get(3).tokenLogprobs(), LOGPROB_BOUND);
    }

    @Test
    void liveArraysReturnToTheirStartAfterManyAdmissions() {
        BaseNDManager manager = (BaseNDManager) models.manager();
        List<DecodeRequest> requests = new ArrayList<>();
        for (int copy = 0; copy < 4; copy++) {
            for (DecodeRequest request : spreadRequests()) {
                requests.add(new DecodeRequest(request.promptId() + "-" + copy, request.promptIds(),
                        request.settings()));
            }
        }
        DeraDecoder decoder = new DeraDecoder(models, new BatchLimits(5, 2, 4, BatchLimits.Admission.CONTINUOUS));
        int before = manager.getManagedArrays().size();
        long[] mostDuring = new long[1];
        decoder.decode(requests, (step, tokens) ->
                mostDuring[0] = Math.max(mostDuring[0], manager.getManagedArrays().size()));
        assertTrue(mostDuring[0] > before, "the count sees the decode's own arrays");
        assertEquals(before, manager.getManagedArrays().size());
        assertTrue(mostDuring[0] < before + 200, "live arrays during the decode: " + mostDuring[0]);
    }

    /** Prompts of different lengths at three lambdas, two samples each, ending at the first full stop. */
    private static List<DecodeRequest> spreadRequests() {
        List<DecodeRequest> requests = new ArrayList<>();
        SamplingParams nucleus = new SamplingParams(1.0, 0, 0.9, 0);
        StopConditions stop = new StopConditions(40, Set.of(), List.of("."));
        for (int i = 0; i < TEXTS.length; i++) {
            requests.add(new DecodeRequest("p" + i, models.tokenizer().encode(TEXTS[i]),
                        new DecodeSettings(new double[] {0, 0.5, 1.5}, 2, 11L, nucleus, stop)));
        }
        return requests;
    }

    private static Map<String, DecodeResult> byRow(List<DecodeResult> results) {
        Map<String, DecodeResult> rows = new HashMap<>();
        for (DecodeResult result : results) {
            rows.put(result.promptId() + "/" + result.lambda() + "/" + result.sampleIndex(), result);
        }
        return rows;
    }

    private static void assertSameRows(Map<String, DecodeResult> expected, List<DecodeResult> actual, String how) {
        Map<String, DecodeResult> rows = byRow(actual);
        assertEquals(expected.keySet(), rows.keySet(), how);
        for (Map.Entry<String, DecodeResult> entry : expected.entrySet()) {
            DecodeResult want = entry.getValue();
            DecodeResult got = rows.get(entry.getKey());
            String row = how + ", row " + entry.getKey();
            assertArrayEquals(want.completionIds(), got.completionIds(), row);
            assertArrayEquals(want.tokenLogprobs(), got.tokenLogprobs(), LOGPROB_BOUND, row);
            assertArrayEquals(want.refTokenLogprobs(), got.refTokenLogprobs(), LOGPROB_BOUND, row);
            assertArrayEquals(want.alignedTokenLogprobs(), got.alignedTokenLogprobs(), LOGPROB_BOUND, row);
            assertEquals(want.finishReason(), got.finishReason(), row);
        }
    }
}
