package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A long decode must not accumulate NDArrays: each function leaves only its result behind. */
class StepMemoryTest {

    private static final int STEPS = 2_000;
    private static final int ROWS = 8;
    private static final int VOCAB = 512;

    @Test
    void repeatedStepsKeepTheLiveArrayCountFlat() throws ReflectiveOperationException {
        List<SamplingParams> params =
                new ArrayList<>(Collections.nCopies(ROWS / 2, new SamplingParams(0.8, 40, 0.9, 0.05)));
        params.addAll(Collections.nCopies(ROWS / 2, SamplingParams.greedy()));
        try (NDManager decode = NDManager.newBaseManager()) {
            NDManager engine = decode.getParentManager();
            int engineBefore = liveResources(engine);
            int decodeBefore = liveResources(decode);
            for (int step = 0; step < STEPS; step++) {
                try (NDManager scope = decode.newSubManager()) {
                    runStep(scope, params, step);
                    // the input and the three results; every intermediate is already closed
                    assertEquals(4, scope.getManagedArrays().size(), "arrays left in the step scope");
                }
                assertEquals(decodeBefore, liveResources(decode), "decode manager after step " + step);
            }
            assertEquals(engineBefore, liveResources(engine), "engine manager after " + STEPS + " steps");
        }
    }

    @Test
    void resultsJoinTheCallersOwnNDScope() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ref = manager.zeros(new Shape(2, 2, 4));
            NDArray z;
            try (NDScope callerScope = new NDScope()) {
                z = Realignment.mix(ref, new float[2]);
                assertFalse(z.isReleased());
            }
            assertTrue(z.isReleased(), "the caller's scope should close the result");
            assertFalse(ref.isReleased(), "inputs stay open");
        }
    }

    private static void runStep(NDManager scope, List<SamplingParams> params, int step) {
        NDArray pair = scope.randomNormal(0, 2, new Shape(2, ROWS, VOCAB), DataType.FLOAT32);
        float[] lambdas = {0, 0.5f, 1, 2, 0, 0.5f, 1, 2};
        double[] uniforms = new double[ROWS];
        for (int row = 0; row < ROWS; row++) {
            uniforms[row] = CounterRng.uniform(7, "memory", 1.0, row, step);
        }
        NDArray z = Realignment.mix(pair, lambdas);
        NDArray tokens = Sampler.sample(z, params, uniforms);
        StepScores scores = StepScores.copyToHost(StepScoring.score(pair, z, tokens));
        assertEquals(ROWS, scores.rows());
    }

    /** Arrays and sub-managers still attached to {@code manager}: what {@link BaseNDManager} keeps to close later. */
    private static int liveResources(NDManager manager) throws ReflectiveOperationException {
        Field resources = BaseNDManager.class.getDeclaredField("resources");
        resources.setAccessible(true);
        return ((Map<?, ?>) resources.get(manager)).size();
    }
}
