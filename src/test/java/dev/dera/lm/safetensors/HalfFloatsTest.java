package dev.dera.lm.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** Every finite non-negative binary16 value, in increasing order of both bits and value. */
    private static final double[] F16_VALUES = new double[0x7C00];

    static {
        for (int bits = 0; bits < F16_VALUES.length; bits++) {
            int exponent = bits >>> 10;
            int mantissa = bits & 0x3FF;
            F16_VALUES[bits] = exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
        }
    }

    @Test
    void f16KnownBitPatterns() {
        assertF16(0x3C00, 1.0f);
        assertF16(0xC100, -2.5f);
        assertF16(0x7BFF, 65504f);
        assertF16(0x0400, 0x1p-14f);
        assertF16(0x0001, 0x1p-24f);
        assertF16(0x03FF, 1023 * 0x1p-24f);
        assertF16(0x8001, -0x1p-24f);
        assertF16(0x0000, 0.0f);
        assertF16(0x8000, -0.0f);
        assertF16(0x7C00, Float.POSITIVE_INFINITY);
        assertF16(0xFC00, Float.NEGATIVE_INFINITY);
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0xFC01)));
    }

    @Test
    void f16NarrowingRoundsToNearestEvenAndSaturatesToInfinity() {
        assertEquals((short) 0x7BFF, HalfFloats.floatToF16(65519.99f));
        assertEquals((short) 0x7C00, HalfFloats.floatToF16(65520f));
        assertEquals((short) 0xFC00, HalfFloats.floatToF16(-1e10f));
        assertEquals((short) 0x3C00, HalfFloats.floatToF16(1 + 0x1p-11f), "tie goes to the even 1.0");
        assertEquals((short) 0x3C02, HalfFloats.floatToF16(1 + 3 * 0x1p-11f), "tie goes to the even 0x3C02");
        assertEquals((short) 0x0000, HalfFloats.floatToF16(0x1p-25f), "half the smallest subnormal ties to 0");
        assertEquals((short) 0x0001, HalfFloats.floatToF16(Math.nextUp(0x1p-25f)));
        assertEquals((short) 0x0002, HalfFloats.floatToF16(3 * 0x1p-25f), "subnormal tie goes to even");
        assertEquals((short) 0x0400, HalfFloats.floatToF16(Math.nextDown(0x1p-14f)), "rounds up to min normal");
        assertEquals((short) 0x8000, HalfFloats.floatToF16(-Float.MIN_VALUE));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7F800001)))),
                "a NaN with only low payload bits stays NaN, not infinity");
    }

    @Test
    void f16EveryBitPatternSurvivesARoundTrip() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float value = HalfFloats.f16ToFloat((short) bits);
            short back = HalfFloats.floatToF16(value);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(back)), Integer.toHexString(bits));
            } else {
                assertEquals((short) bits, back, Integer.toHexString(bits));
            }
            if ((bits & 0x7FFF) < F16_VALUES.length) {
                assertEquals(F16_VALUES[bits & 0x7FFF] * (bits >= 0x8000 ? -1 : 1), value, 0.0,
                        Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16NarrowingMatchesANearestValueSearch() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float value = Math.abs(Float.intBitsToFloat(random.nextInt(0x3000_0000, 0x4780_0000)));
            assertEquals(nearestF16(value), HalfFloats.floatToF16(value), () -> Float.toHexString(value));
        }
        for (int bits = 1; bits < 0x7BFF; bits++) {
            float midpoint = (float) ((F16_VALUES[bits] + F16_VALUES[bits + 1]) / 2);
            assertEquals(nearestF16(midpoint), HalfFloats.floatToF16(midpoint), Float.toHexString(midpoint));
        }
    }

    @Test
    void bf16KnownBitPatternsAndRounding() {
        assertBf16(0x3F80, 1.0f);
        assertBf16(0xC020, -2.5f);
        assertBf16(0x0001, 0x1p-133f);
        assertBf16(0x7F80, Float.POSITIVE_INFINITY);
        assertBf16(0xFF80, Float.NEGATIVE_INFINITY);
        assertBf16(0x8000, -0.0f);
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F80_8000)), "tie to even");
        assertEquals((short) 0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F81_8000)), "tie to even");
        assertEquals((short) 0x3F81, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F80_8001)));
        assertEquals((short) 0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE), "overflow rounds to infinity");
        assertEquals((short) 0x7FC0, HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F80_0001)),
                "a NaN with only low payload bits stays NaN, not infinity");
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    @Test
    void bf16NarrowingMatchesNearestOfTheTwoNeighbours() {
        // The upper neighbour is computed in double, so above the largest bfloat16 it is 2^128, not infinity.
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt() & 0x7F7F_FFFF);
            int below = Float.floatToRawIntBits(value) >>> 16;
            double down = HalfFloats.bf16ToFloat((short) below);
            double up = down + Math.ulp((float) down) * 0x1p16;
            double distanceDown = value - down;
            double distanceUp = up - value;
            int expected = distanceDown < distanceUp || (distanceDown == distanceUp && below % 2 == 0)
                    ? below : below + 1;
            assertEquals((short) expected, HalfFloats.floatToBf16(value), () -> Float.toHexString(value));
        }
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float value = HalfFloats.bf16ToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, HalfFloats.floatToBf16(value), Integer.toHexString(bits));
            }
        }
    }

    private static void assertF16(int bits, float value) {
        assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) bits)));
        assertEquals((short) bits, HalfFloats.floatToF16(value));
    }

    private static void assertBf16(int bits, float value) {
        assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(HalfFloats.bf16ToFloat((short) bits)));
        assertEquals((short) bits, HalfFloats.floatToBf16(value));
    }

    /** The binary16 bits nearest to a non-negative float, ties to even, found by search over all values. */
    private static short nearestF16(float value) {
        if (value >= 65520f) {
            return 0x7C00;
        }
        int index = Arrays.binarySearch(F16_VALUES, value);
        if (index >= 0) {
            return (short) index;
        }
        int above = -index - 1;
        if (above == F16_VALUES.length) {
            return 0x7BFF;
        }
        int below = above - 1;
        double distanceDown = value - F16_VALUES[below];
        double distanceUp = F16_VALUES[above] - value;
        boolean down = distanceDown < distanceUp || (distanceDown == distanceUp && below % 2 == 0);
        return (short) (down ? below : above);
    }
}
