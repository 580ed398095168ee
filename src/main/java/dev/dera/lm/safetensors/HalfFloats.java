package dev.dera.lm.safetensors;

/**
 * Conversions between float32 and the 16-bit formats F16 (IEEE binary16) and BF16 (bfloat16), bit-exact for
 * subnormals, infinities and NaN, rounding to nearest even when narrowing.
 */
public final class HalfFloats {

    private static final int F32_SIGN = 0x8000_0000;
    private static final int F32_ABS = 0x7FFF_FFFF;
    private static final int F32_INFINITY = 0x7F80_0000;
    private static final int F16_INFINITY = 0x7C00;
    private static final int F16_QUIET_NAN_BIT = 0x0200;
    private static final int BF16_QUIET_NAN_BIT = 0x0040;
    /** Exponent bias difference between float32 (127) and binary16 (15), in float32 exponent position. */
    private static final int REBIAS = (127 - 15) << 23;
    /** 65520: halfway between the largest binary16 (65504) and 2^16; it and all above round to infinity. */
    private static final int F16_OVERFLOW = 0x477F_F000;
    /** 2^-14: the smallest normal binary16. */
    private static final int F16_MIN_NORMAL = 0x3880_0000;
    /** 2^-25: half the smallest subnormal binary16; it and all below round to zero. */
    private static final int F16_ROUNDS_TO_ZERO = 0x3300_0000;

    private HalfFloats() {
    }

    /** The float32 value of the binary16 with these bits. */
    public static float f16ToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | F32_INFINITY | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | (((exponent << 10 | mantissa) << 13) + REBIAS));
    }

    /** The binary16 nearest to {@code value} (ties to even); NaN stays a (quiet) NaN, overflow becomes infinity. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits & F32_SIGN) >>> 16;
        int abs = bits & F32_ABS;
        if (abs > F32_INFINITY) {
            return (short) (sign | F16_INFINITY | F16_QUIET_NAN_BIT | ((abs >>> 13) & 0x3FF));
        }
        if (abs >= F16_OVERFLOW) {
            return (short) (sign | F16_INFINITY);
        }
        if (abs >= F16_MIN_NORMAL) {
            int rounded = abs + 0xFFF + ((abs >>> 13) & 1);
            return (short) (sign | ((rounded - REBIAS) >>> 13));
        }
        if (abs <= F16_ROUNDS_TO_ZERO) {
            return (short) sign;
        }
        return (short) (sign | roundedSubnormal(abs));
    }

    /** The float32 value of the bfloat16 with these bits. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The bfloat16 nearest to {@code value} (ties to even); NaN stays a (quiet) NaN, overflow becomes infinity. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & F32_ABS) > F32_INFINITY) {
            return (short) ((bits >>> 16) | BF16_QUIET_NAN_BIT);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * The binary16 subnormal mantissa (in units of 2^-24) nearest to a float32 magnitude between 2^-25 and 2^-14,
     * ties to even; a result of 0x400 is the smallest normal, which the encoding handles by itself.
     */
    private static int roundedSubnormal(int abs) {
        int significand = (abs & 0x7F_FFFF) | 0x80_0000;
        int shift = 126 - (abs >>> 23);
        int kept = significand >>> shift;
        int dropped = significand & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        boolean roundUp = dropped > half || (dropped == half && (kept & 1) == 1);
        return roundUp ? kept + 1 : kept;
    }
}
