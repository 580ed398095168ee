package dev.dera.lm;

/**
 * Rotary position embedding settings of config.json: the base, the share of each head that rotates, and the
 * frequency scaling (none, linear, or Llama 3's three frequency bands).
 *
 * @param theta rope_theta
 * @param rotaryFraction partial_rotary_factor: the leading share of each head's dimensions that rotates (Phi-3)
 * @param scaling rope_scaling type
 * @param factor scaling factor (1 without scaling)
 * @param lowFreqFactor Llama 3 low_freq_factor
 * @param highFreqFactor Llama 3 high_freq_factor
 * @param originalMaxPositions Llama 3 original_max_position_embeddings
 */
public record Rope(double theta, double rotaryFraction, Scaling scaling, double factor, double lowFreqFactor,
        double highFreqFactor, int originalMaxPositions) {

    /** The rope_scaling types implemented here. */
    public enum Scaling { DEFAULT, LINEAR, LLAMA3 }

    public Rope {
        if (!(theta > 0) || !(factor > 0)) {
            throw new ModelConfigException("config.json: rope_theta and the rope scaling factor must be positive");
        }
        if (!(rotaryFraction > 0 && rotaryFraction <= 1)) {
            throw new ModelConfigException("config.json: partial_rotary_factor must be in (0, 1], got " + rotaryFraction);
        }
        if (scaling == Scaling.LLAMA3 && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0
                && originalMaxPositions > 0)) {
            throw new ModelConfigException("config.json: llama3 rope_scaling needs high_freq_factor > low_freq_factor > 0"
                    + " and a positive original_max_position_embeddings");
        }
    }

    /** Plain rotary embedding over whole heads, optionally with linear position scaling. */
    public static Rope linear(double theta, double factor) {
        return new Rope(theta, 1.0, factor == 1.0 ? Scaling.DEFAULT : Scaling.LINEAR, factor, 0, 0, 0);
    }

    /** Reads rope_theta, partial_rotary_factor and rope_scaling; other rope types fail with one line. */
    static Rope read(ConfigFields config, double defaultTheta) {
        double theta = config.doubleOr("rope_theta", defaultTheta);
        double fraction = config.doubleOr("partial_rotary_factor", 1.0);
        ConfigFields scaling = config.objectOrNull("rope_scaling");
        if (scaling == null) {
            return new Rope(theta, fraction, Scaling.DEFAULT, 1.0, 0, 0, 0);
        }
        String type = scaling.stringOr("rope_type", scaling.stringOr("type", "default"));
        switch (type) {
            case "default":
                return new Rope(theta, fraction, Scaling.DEFAULT, 1.0, 0, 0, 0);
            case "linear":
                return new Rope(theta, fraction, Scaling.LINEAR, scaling.doubleOr("factor", 1.0), 0, 0, 0);
            case "llama3":
                return new Rope(theta, fraction, Scaling.LLAMA3, scaling.doubleOr("factor", 1.0),
                        scaling.doubleOr("low_freq_factor", 1.0), scaling.doubleOr("high_freq_factor", 4.0),
                        scaling.require("original_max_position_embeddings"));
            default:
                throw config.error("rope_scaling type \"" + type + "\" is not supported; supported: none, default,"
                        + " linear, llama3");
        }
    }

    /** How many leading dimensions of a head of {@code headDim} rotate; always even. */
    public int rotaryDim(int headDim) {
        return (int) (headDim * rotaryFraction);
    }

    /** The inverse frequency of each rotating pair of a head, scaled as the config says. */
    public double[] inverseFrequencies(int headDim) {
        int dim = rotaryDim(headDim);
        double[] frequencies = new double[dim / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = scaled(1.0 / Math.pow(theta, 2.0 * i / dim));
        }
        return frequencies;
    }

    private double scaled(double frequency) {
        switch (scaling) {
            case LINEAR:
                return frequency / factor;
            case LLAMA3:
                return llama3Band(frequency);
            default:
                return frequency;
        }
    }

    /**
     * Llama 3: wavelengths shorter than original / high_freq_factor keep their frequency, longer than
     * original / low_freq_factor are divided by the factor, and those between blend the two linearly in
     * original / wavelength.
     */
    private double llama3Band(double frequency) {
        double wavelength = 2 * Math.PI / frequency;
        if (wavelength < originalMaxPositions / highFreqFactor) {
            return frequency;
        }
        if (wavelength > originalMaxPositions / lowFreqFactor) {
            return frequency / factor;
        }
        double smooth = (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * frequency / factor + smooth * frequency;
    }
}
