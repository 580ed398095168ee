package dev.dera.realign;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Builds NDArrays from Java values and reads them back, for the tests. */
final class TestArrays {

    private TestArrays() {}

    static double[][] gaussian(Random random, int rows, int vocab, double scale) {
        double[][] values = new double[rows][vocab];
        for (double[] row : values) {
            for (int v = 0; v < vocab; v++) {
                row[v] = scale * random.nextGaussian();
            }
        }
        return values;
    }

    static double[][] repeat(double[] row, int rows) {
        double[][] values = new double[rows][];
        java.util.Arrays.fill(values, row);
        return values;
    }

    static NDArray matrix(NDManager manager, double[][] values) {
        int vocab = values[0].length;
        float[] flat = new float[values.length * vocab];
        for (int row = 0; row < values.length; row++) {
            for (int v = 0; v < vocab; v++) {
                flat[row * vocab + v] = (float) values[row][v];
            }
        }
        return manager.create(flat, new Shape(values.length, vocab));
    }

    /** The float32 values of a matrix as doubles, so a reference sees exactly what the device saw. */
    static double[][] rows(NDArray matrix) {
        int vocab = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        double[][] values = new double[flat.length / vocab][vocab];
        for (int i = 0; i < flat.length; i++) {
            values[i / vocab][i % vocab] = flat[i];
        }
        return values;
    }

    static float[] floats(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** The two models' logits stacked as {@link Realignment#mix} takes them, {@code [2, rows, vocab]}. */
    static NDArray pair(NDArray reference, NDArray aligned) {
        return NDArrays.stack(new NDList(reference, aligned));
    }

    /** The mixed logits of {@code reference} and {@code aligned} with one lambda per row. */
    static NDArray mixed(NDArray reference, NDArray aligned, double... lambdas) {
        return Realignment.mix(pair(reference, aligned), floats(lambdas));
    }
}
