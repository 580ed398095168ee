package dev.dera.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Each rope variant's frequencies against values worked out here, and the partial rotation of a head. */
class RopeTest {
    private static final double EXACT = 1e-15;

    @Test
    void defaultFrequenciesAreThetaToTheMinusTwoIOverDim() {
        double[] frequencies = Rope.linear(10000, 1).inverseFrequencies(8);
        assertArrayEquals(new double[] {1, 0.1, 0.01, 0.001}, frequencies, EXACT);
    }

    @Test
    void linearScalingDividesEveryFrequency() {
        double[] frequencies = Rope.linear(10000, 4).inverseFrequencies(8);
        assertArrayEquals(new double[] {0.25, 0.025, 0.0025, 0.00025}, frequencies, EXACT);
    }

    @Test
    void llama3KeepsHighFrequenciesDividesLowOnesAndBlendsBetween() {
        // Head 16, theta 1e4: wavelengths 2 pi 10^(i/2) = 6.3, 19.9, 62.8, 198.7, ... With an original context of
        // 64 and frequency factors 1 and 4, wavelengths below 64 / 4 = 16 stay, those above 64 / 1 are divided by
        // the factor 8, and 19.9 and 62.8 lie between: they blend with weight (64 / wavelength - 1) / 3.
        Rope rope = new Rope(10000, 1, Rope.Scaling.LLAMA3, 8, 1, 4, 64);
        double[] frequencies = rope.inverseFrequencies(16);
        assertEquals(8, frequencies.length);
        assertEquals(1.0, frequencies[0], EXACT);
        for (int i = 1; i <= 2; i++) {
            double original = Math.pow(10, -i / 2.0);
            double wavelength = 2 * Math.PI / original;
            double weight = (64 / wavelength - 1) / 3;
            assertTrue(weight > 0 && weight < 1, "pair " + i + " lies between the bands");
            assertEquals(original / 8 + weight * (original - original / 8), frequencies[i], 1e-12, "pair " + i);
        }
        for (int i = 3; i < 8; i++) {
            assertEquals(Math.pow(10, -i / 2.0) / 8, frequencies[i], 1e-12, "pair " + i);
        }
    }

    @Test
    void partialRotaryUsesTheRotaryDimensionForItsFrequencies() {
        Rope rope = new Rope(10000, 0.75, Rope.Scaling.DEFAULT, 1, 0, 0, 0);
        assertEquals(6, rope.rotaryDim(8));
        assertArrayEquals(new double[] {1, Math.pow(10000, -2.0 / 6), Math.pow(10000, -4.0 / 6)},
                rope.inverseFrequencies(8), EXACT);
    }

    @Test
    void partialRotaryTurnsTheLeadingPairsAndPassesTheRest() {
        ModelConfig config = new ModelConfig(Architecture.PHI3, 32, 48, 1, 4, 2, 8, 64, 16, 1e-5,
                new Rope(10000, 0.75, Rope.Scaling.DEFAULT, 1, 0, 0, 0), true, false, false, 0,
                ModelConfig.everyLayer(1, false), 8, 0, 0);
        float[] head = {1, 2, 3, 4, 5, 6, 7, 8};
        int position = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryEmbedding rotary = new RotaryEmbedding(manager, config, DataType.FLOAT32);
            NDArray x = manager.create(head, new Shape(1, 1, 1, 8));
            float[] rotated = rotary.at(manager.create(new long[][] {{position}})).rotate(x).toFloatArray();
            double[] frequencies = config.rope().inverseFrequencies(8);
            for (int i = 0; i < 3; i++) {
                double angle = position * frequencies[i];
                double a = head[i];
                double b = head[i + 3];
                assertEquals(a * Math.cos(angle) - b * Math.sin(angle), rotated[i], 1e-5, "dim " + i);
                assertEquals(b * Math.cos(angle) + a * Math.sin(angle), rotated[i + 3], 1e-5, "dim " + (i + 3));
            }
            assertEquals(7f, rotated[6]);
            assertEquals(8f, rotated[7]);
        }
    }
}
