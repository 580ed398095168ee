package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepScoringTest {

    private static final double TOLERANCE = 1e-5;
    private static final double[] LAMBDAS = {0, 0.25, 0.5, 1, 1.5, 2};
    private static final int VOCAB = 40;

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
    void logProbabilitiesAndKlMatchADoublePrecisionReference() {
        Random random = new Random(21);
        double[][] ref = TestArrays.gaussian(random, LAMBDAS.length, VOCAB, 3);
        double[][] aligned = TestArrays.gaussian(random, LAMBDAS.length, VOCAB, 3);
        long[] tokens = random.longs(LAMBDAS.length, 0, VOCAB).toArray();
        StepScores scores = scoreStep(ref, aligned, tokens);

        assertEquals(LAMBDAS.length, scores.rows());
        for (int row = 0; row < LAMBDAS.length; row++) {
            double[] logRef = Reference.logSoftmax(ref[row]);
            double[] logMix = Reference.logSoftmax(Reference.mix(ref[row], aligned[row], LAMBDAS[row]));
            int token = (int) tokens[row];
            String where = "row " + row + " (lambda " + LAMBDAS[row] + ")";
            assertEquals(token, scores.tokenId(row), where);
            assertEquals(logMix[token], scores.logprob(row), TOLERANCE, where);
            assertEquals(logRef[token], scores.refLogprob(row), TOLERANCE, where);
            assertEquals(Reference.logSoftmax(aligned[row])[token], scores.alignedLogprob(row), TOLERANCE, where);
            assertEquals(Reference.kl(logMix, logRef), scores.kl(row), TOLERANCE, where);
            assertTrue(scores.isFinite(row), where);
        }
    }

    @Test
    void klIsZeroAtLambdaZeroAndPositiveElsewhere() {
        Random random = new Random(22);
        StepScores scores = scoreStep(TestArrays.gaussian(random, LAMBDAS.length, VOCAB, 3),
                TestArrays.gaussian(random, LAMBDAS.length, VOCAB, 3), new long[LAMBDAS.length]);
        assertEquals(0f, scores.kl(0));
        for (int row = 1; row < LAMBDAS.length; row++) {
            assertTrue(scores.kl(row) > 0, "lambda " + LAMBDAS[row] + ": " + scores.kl(row));
        }
    }

    @Test
    void klAndLogProbabilitiesKeepTheirPrecisionAtAHugeLambda() {
        Random random = new Random(5);
        double lambda = 1e9;
        double[][] ref = TestArrays.gaussian(random, 1, VOCAB, 3);
        double[][] aligned = TestArrays.gaussian(random, 1, VOCAB, 3);
        double[] logRef = Reference.logSoftmax(ref[0]);
        double[] logMix = Reference.logSoftmax(Reference.mix(ref[0], aligned[0], lambda));
        int token = 0;
        for (int v = 1; v < VOCAB; v++) {
            token = logMix[v] > logMix[token] ? v : token;
        }
        StepScores scores = scoreStep(ref, aligned, new double[] {lambda}, new long[] {token});

        double expectedKl = Reference.kl(logMix, logRef);
        assertTrue(expectedKl > 1, "the case is one where the KL matters: " + expectedKl);
        assertEquals(expectedKl, scores.kl(0), 1e-4 * expectedKl);
        assertEquals(logMix[token], scores.logprob(0), TOLERANCE);
        assertEquals(logRef[token], scores.refLogprob(0), TOLERANCE);
    }

    @Test
    void klStaysFiniteWhenMixedProbabilitiesUnderflowToZero() {
        double[] ref = new double[VOCAB];
        double[] aligned = new double[VOCAB];
        aligned[0] = 200; // every other token has probability e^-200 under the aligned model: 0 in float32
        StepScores scores = scoreStep(TestArrays.repeat(ref, 2), TestArrays.repeat(aligned, 2), new double[] {1, 1},
                new long[] {0, 1});
        assertEquals(Math.log(VOCAB), scores.kl(0), TOLERANCE);
        assertEquals(-200, scores.logprob(1), 1e-3);
    }

    @Test
    void flagsRowsWithNanOrInfinityAfterMixing() {
        double[][] ref = TestArrays.gaussian(new Random(23), 5, VOCAB, 1);
        double[][] aligned = TestArrays.gaussian(new Random(24), 5, VOCAB, 1);
        ref[1][3] = Double.NaN;
        aligned[2][7] = Double.POSITIVE_INFINITY;
        ref[3][0] = Double.NEGATIVE_INFINITY; // lambda 1 for this row: 0 * -inf is NaN, still flagged
        aligned[4][5] = Double.NaN;           // lambda 0 for this row: 0 * NaN is NaN, still flagged
        StepScores scores = scoreStep(ref, aligned, new double[] {0.5, 0.5, 0.5, 1, 0}, new long[5]);
        assertTrue(scores.isFinite(0));
        for (int row = 1; row < 5; row++) {
            assertFalse(scores.isFinite(row), "row " + row);
        }
    }

    @Test
    void packsFloat32ColumnsIntoTheManagerOfTheLogits() {
        try (NDManager step = manager.newSubManager()) {
            NDArray pair = step.ones(new Shape(2, 3, VOCAB), DataType.FLOAT16);
            NDArray z = Realignment.mix(pair, new float[] {0, 0.5f, 1});
            NDArray packed = StepScoring.score(pair, z, manager.create(new int[] {0, 1, 39}));
            assertEquals(new Shape(StepScores.COLUMNS, 3), packed.getShape());
            assertEquals(DataType.FLOAT32, packed.getDataType());
            assertSame(step, packed.getManager());
            assertEquals(39, StepScores.copyToHost(packed).tokenId(2));
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        NDArray pair = manager.zeros(new Shape(2, 2, VOCAB));
        NDArray z = manager.zeros(new Shape(2, VOCAB));
        NDArray tokens = manager.zeros(new Shape(2), DataType.INT64);
        assertThrows(IllegalArgumentException.class,
                () -> StepScoring.score(manager.zeros(new Shape(3, 2, VOCAB)), z, tokens));
        assertThrows(IllegalArgumentException.class,
                () -> StepScoring.score(pair, manager.zeros(new Shape(2, VOCAB - 1)), tokens));
        assertThrows(IllegalArgumentException.class,
                () -> StepScoring.score(pair, z, manager.zeros(new Shape(3), DataType.INT64)));
        assertThrows(IllegalArgumentException.class, () -> StepScores.copyToHost(z));
    }

    /** Mixes with {@link #LAMBDAS}, scores the given tokens and brings the scores to the host. */
    private StepScores scoreStep(double[][] ref, double[][] aligned, long[] tokens) {
        return scoreStep(ref, aligned, LAMBDAS, tokens);
    }

    private StepScores scoreStep(double[][] ref, double[][] aligned, double[] lambdas, long[] tokens) {
        NDArray pair = TestArrays.pair(TestArrays.matrix(manager, ref), TestArrays.matrix(manager, aligned));
        NDArray z = Realignment.mix(pair, TestArrays.floats(lambdas));
        return StepScores.copyToHost(StepScoring.score(pair, z, manager.create(tokens)));
    }
}
