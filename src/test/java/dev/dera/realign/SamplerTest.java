package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final long SEED = 42;
    private static final int DRAWS = 20_000;
    private static final int VOCAB = 24;

    private NDManager manager;

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void plainSamplingFollowsTheSoftmax() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(1, 0, 1, 0));
    }

    @Test
    void temperatureSharpensTheSoftmax() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(0.7, 0, 1, 0));
    }

    @Test
    void topKKeepsTheKMostProbableTokens() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(1, 5, 1, 0));
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(1, 0, 0.8, 0));
    }

    @Test
    void minPKeepsTokensNearTheMostProbable() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(1, 0, 1, 0.1));
    }

    @Test
    void allFiltersCombineInOrder() {
        assertDrawsFollowTheFilteredSoftmax(new SamplingParams(0.9, 12, 0.85, 0.05));
    }

    @Test
    void topPWiderThanTheCandidateTokensFallsBackToTheWholeVocabulary() {
        double[] flat = new Random(37).doubles(2 * Sampler.CANDIDATES, -0.5, 0.5).map(x -> (float) x).toArray();
        assertDrawsFollowTheFilteredSoftmax(flat, new SamplingParams(1, 0, 0.9, 0));
    }

    @Test
    void topKOneIsGreedy() {
        assertSameAsGreedy(new SamplingParams(1, 1, 1, 0), gaussianLogits(new Random(51)));
    }

    @Test
    void tinyTopPIsGreedy() {
        assertSameAsGreedy(new SamplingParams(1, 0, 1e-6, 0), gaussianLogits(new Random(52)));
    }

    @Test
    void tinyTemperatureIsGreedy() {
        Random random = new Random(53);
        double[][] logits = new double[64][];
        for (int row = 0; row < logits.length; row++) {
            List<Integer> ranks = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
            Collections.shuffle(ranks, random);
            logits[row] = ranks.stream().mapToDouble(rank -> 0.05 * rank).toArray();
        }
        assertSameAsGreedy(new SamplingParams(1e-4, 0, 1, 0), logits);
    }

    @Test
    void greedyTiesGoToTheLowestIndex() {
        double[][] logits = {{1, 3, 3, 0, 3}, {2, 2, 2, 2, 2}, {-1, 5, 4, 5, -7}};
        assertArrayEquals(new long[] {1, 0, 1}, sample(logits, SamplingParams.greedy(), new double[] {0.9, 0.5, 0}));
    }

    @Test
    void greedyAndSampledRowsMixInOneBatchAndEachRowIgnoresTheOthers() {
        double[][] logits = gaussianLogits(new Random(54));
        List<SamplingParams> params = new ArrayList<>();
        double[] uniforms = new double[logits.length];
        for (int row = 0; row < logits.length; row++) {
            params.add(row % 2 == 0 ? SamplingParams.greedy() : new SamplingParams(1.3, 20, 0.95, 0.01));
            uniforms[row] = CounterRng.uniform(SEED, "mixed", 0.5, row, 0);
        }
        long[] batch = Sampler.sample(TestArrays.matrix(manager, logits), params, uniforms).toLongArray();
        int sampledElsewhere = 0;
        for (int row = 0; row < logits.length; row++) {
            long alone = sample(new double[][] {logits[row]}, params.get(row), new double[] {uniforms[row]})[0];
            assertEquals(alone, batch[row], "row " + row);
            if (row % 2 == 0) {
                assertEquals(argMax(logits[row]), batch[row], "greedy row " + row);
            } else if (batch[row] != argMax(logits[row])) {
                sampledElsewhere++;
            }
        }
        assertTrue(sampledElsewhere > 0, "sampled rows never left the argmax");
    }

    @Test
    void extremeUniformsPickTheEndsOfTheKeptSetInVocabularyOrder() {
        double[] row = fixedLogits();
        Integer[] order = Reference.descending(row);
        int[] topFive = java.util.Arrays.stream(order).limit(5).mapToInt(Integer::intValue).sorted().toArray();
        double[][] logits = {row, row};
        long[] tokens = sample(logits, new SamplingParams(1, 5, 1, 0), new double[] {0, Math.nextDown(1.0)});
        assertArrayEquals(new long[] {topFive[0], topFive[4]}, tokens);
    }

    @Test
    void nonFiniteRowsStillGetATokenInRange() {
        double[][] logits = {
            {1, Double.NaN, 2}, {Double.POSITIVE_INFINITY, 0, 1}, {Double.NaN, Double.NaN, Double.NaN}
        };
        for (long token : sample(logits, new SamplingParams(1, 0, 0.9, 0.1), new double[] {0.99, 0.5, 0.1})) {
            assertTrue(token >= 0 && token < 3, "token " + token);
        }
    }

    @Test
    void returnsInt64IdsOwnedByTheManagerOfZ() {
        try (NDManager step = manager.newSubManager()) {
            NDArray z = TestArrays.matrix(step, gaussianLogits(new Random(55))).toType(DataType.FLOAT16, false);
            NDArray tokens = Sampler.sample(z, Collections.nCopies(64, new SamplingParams(1, 0, 1, 0)), new double[64]);
            assertEquals(DataType.INT64, tokens.getDataType());
            assertSame(step, tokens.getManager());
        }
    }

    @Test
    void rejectsMismatchedRowsAndUniformsOutsideTheUnitInterval() {
        NDArray z = TestArrays.matrix(manager, new double[][] {{0, 1}, {1, 0}});
        List<SamplingParams> two = Collections.nCopies(2, SamplingParams.greedy());
        assertThrows(IllegalArgumentException.class, () -> Sampler.sample(z, two.subList(0, 1), new double[2]));
        assertThrows(IllegalArgumentException.class, () -> Sampler.sample(z, two, new double[3]));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Sampler.sample(z, two, new double[] {0, 1}));
        assertEquals("uniforms[1] must be in [0, 1), got 1.0", error.getMessage());
    }

    /**
     * Draws {@link #DRAWS} tokens from one logits row and checks them against the distribution computed in plain
     * Java: no filtered-out token is ever drawn and the counts pass a chi-square test at the 0.999 level.
     */
    private void assertDrawsFollowTheFilteredSoftmax(SamplingParams params) {
        assertDrawsFollowTheFilteredSoftmax(fixedLogits(), params);
    }

    private void assertDrawsFollowTheFilteredSoftmax(double[] row, SamplingParams params) {
        double[] expected = Reference.filteredDistribution(row, params);
        assertFiltersAreNotOnAKnifeEdge(row, params, expected);
        double[] uniforms = IntStream.range(0, DRAWS)
                .mapToDouble(sample -> CounterRng.uniform(SEED, "chi-square", 1.0, sample, 0)).toArray();

        long[] counts = new long[row.length];
        for (long token : sample(TestArrays.repeat(row, DRAWS), params, uniforms)) {
            counts[(int) token]++;
        }
        int kept = 0;
        for (int v = 0; v < row.length; v++) {
            if (expected[v] == 0) {
                assertEquals(0, counts[v], "filtered-out token " + v + " was drawn");
            } else {
                assertTrue(expected[v] * DRAWS >= 5, "expected count too small for chi-square: token " + v);
                kept++;
            }
        }
        assertTrue(kept >= 3, "too few kept tokens for a meaningful test: " + kept);
        double statistic = ChiSquare.statistic(counts, expected);
        assertTrue(statistic < ChiSquare.quantile999(kept - 1),
                "chi-square " + statistic + " with " + (kept - 1) + " degrees of freedom");
    }

    /** Float32 on the device must keep the same tokens as doubles here: no filter threshold may sit too close. */
    private static void assertFiltersAreNotOnAKnifeEdge(double[] row, SamplingParams params, double[] expected) {
        for (double nudge : new double[] {-1e-4, 1e-4}) {
            SamplingParams nudged = new SamplingParams(params.temperature(), params.topK(),
                    params.topP() == 1 ? 1 : params.topP() + nudge, params.minP() == 0 ? 0 : params.minP() + nudge);
            double[] other = Reference.filteredDistribution(row, nudged);
            for (int v = 0; v < row.length; v++) {
                assertEquals(expected[v] == 0, other[v] == 0, "token " + v + " is on a filter's edge");
            }
        }
    }

    private void assertSameAsGreedy(SamplingParams params, double[][] logits) {
        Random random = new Random(SEED);
        double[] uniforms = random.doubles(logits.length).toArray();
        long[] greedy = sample(logits, SamplingParams.greedy(), uniforms);
        assertArrayEquals(greedy, sample(logits, params, uniforms));
        for (int row = 0; row < logits.length; row++) {
            assertEquals(argMax(logits[row]), greedy[row]);
        }
    }

    private long[] sample(double[][] logits, SamplingParams params, double[] uniforms) {
        try (NDManager step = manager.newSubManager()) {
            NDArray z = TestArrays.matrix(step, logits);
            return Sampler.sample(z, Collections.nCopies(logits.length, params), uniforms).toLongArray();
        }
    }

    /** One row with a spread of probabilities (largest about 0.2, smallest about 0.005). */
    private static double[] fixedLogits() {
        return new Random(31).doubles(VOCAB, -2, 2).map(x -> (float) x).toArray();
    }

    private static double[][] gaussianLogits(Random random) {
        return TestArrays.gaussian(random, 64, 100, 2);
    }

    private static long argMax(double[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) {
            if (row[v] > row[best]) {
                best = v;
            }
        }
        return best;
    }
}
