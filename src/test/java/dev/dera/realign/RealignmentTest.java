package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RealignmentTest {

    private NDManager manager;
    private NDArray ref;
    private NDArray aligned;

    @BeforeEach
    void createLogits() {
        manager = NDManager.newBaseManager();
        Random random = new Random(11);
        ref = TestArrays.matrix(manager, TestArrays.gaussian(random, 1, 32, 3));
        aligned = TestArrays.matrix(manager, TestArrays.gaussian(random, 1, 32, 3));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void lambdaZeroIsTheReferenceExactly() {
        assertArrayEquals(ref.toFloatArray(), mixed(0));
    }

    @Test
    void lambdaOneIsTheAlignedModelExactly() {
        assertArrayEquals(aligned.toFloatArray(), mixed(1));
    }

    @Test
    void lambdaHalfIsTheMidpoint() {
        assertArrayEquals(ref.add(aligned).div(2).toFloatArray(), mixed(0.5), 1e-6f);
    }

    @Test
    void lambdaTwoExtrapolatesBeyondTheAlignedModel() {
        assertArrayEquals(aligned.mul(2).sub(ref).toFloatArray(), mixed(2), 1e-5f);
    }

    @Test
    void eachRowUsesItsOwnLambda() {
        double[] lambdas = {0, 0.25, 1, 1.5};
        Random random = new Random(12);
        double[][] refRows = TestArrays.gaussian(random, 4, 16, 2);
        double[][] alignedRows = TestArrays.gaussian(random, 4, 16, 2);
        NDArray z = TestArrays.mixed(TestArrays.matrix(manager, refRows), TestArrays.matrix(manager, alignedRows),
                lambdas);
        double[][] actual = TestArrays.rows(z);
        for (int row = 0; row < lambdas.length; row++) {
            double[] expected = Reference.mix(refRows[row], alignedRows[row], lambdas[row]);
            for (int v = 0; v < 16; v++) {
                assertEquals(expected[v], actual[row][v], 1e-5, "row " + row + " token " + v);
            }
        }
    }

    @Test
    void mixIsBitForBitTheSumOfTheTwoFloat32Products() {
        float lambda = 0.37f;
        NDArray expected = aligned.mul(lambda).add(ref.mul(1f - lambda));
        assertArrayEquals(expected.toFloatArray(), mixed(lambda));
    }

    @Test
    void halfPrecisionInputsAreMixedInFloat32IntoThePairsManager() {
        try (NDManager step = manager.newSubManager()) {
            NDArray halfPair = TestArrays.pair(ref, aligned).toType(DataType.FLOAT16, true);
            halfPair.attach(step);
            NDArray z = Realignment.mix(halfPair, new float[] {1});
            assertEquals(DataType.FLOAT32, z.getDataType());
            assertSame(step, z.getManager());
            assertArrayEquals(halfPair.get(1).toType(DataType.FLOAT32, true).toFloatArray(), z.toFloatArray());
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> Realignment.mix(ref, new float[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Realignment.mix(manager.zeros(new Shape(3, 1, 32)), new float[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Realignment.mix(TestArrays.pair(ref, aligned), new float[] {1, 1}));
    }

    private float[] mixed(double lambda) {
        return TestArrays.mixed(ref, aligned, lambda).toFloatArray();
    }
}
