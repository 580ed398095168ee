package dev.dera.decode;

import dev.dera.realign.SamplingParams;
import java.io.Serializable;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How every prompt of a run is decoded: realignment strengths, samples per lambda, run seed, sampling and stopping.
 * The one record that the job config, the command-line options and {@code DeraTransformer}'s Params all map onto
 * (through the {@link DecodeOption} table); it is checked once, here, and each error is one line naming the
 * setting's job-config key.
 *
 * @param lambdas realignment strengths, finite and distinct as numbers ({@code -0.0} becomes {@code 0.0}): 0 is the
 *     reference model, 1 the aligned one, above 1 extrapolates
 * @param samples rows per lambda, at least 1
 * @param seed the run seed, part of every random draw's key
 * @param sampling temperature and filters applied to the mixed logits
 * @param stop max_new_tokens and the stop strings (and, for direct callers, stop token ids)
 */
public record DecodeSettings(double[] lambdas, int samples, long seed, SamplingParams sampling, StopConditions stop)
        implements Serializable {
    /** The most output rows per prompt (lambdas x samples): every row of a prompt shares one decode batch. */
    public static final int MAX_ROWS_PER_PROMPT = 4096;

    public DecodeSettings {
        if (lambdas.length == 0) {
            throw new IllegalArgumentException("decode.lambdas: at least one lambda is needed");
        }
        double[] given = lambdas;
        lambdas = new double[given.length];
        for (int i = 0; i < given.length; i++) {
            if (!Double.isFinite(given[i])) {
                throw new IllegalArgumentException("decode.lambdas: every lambda must be finite, got " + given[i]);
            }
            lambdas[i] = given[i] + 0.0; // -0.0 is 0: one lambda, one partition
        }
        if (Arrays.stream(lambdas).distinct().count() != lambdas.length) {
            throw new IllegalArgumentException("decode.lambdas lists a lambda twice: " + Arrays.toString(given));
        }
        if (samples < 1) {
            throw new IllegalArgumentException("decode.samples must be at least 1, got " + samples);
        }
        if ((long) lambdas.length * samples > MAX_ROWS_PER_PROMPT) {
            throw new IllegalArgumentException("decode.lambdas x decode.samples = " + lambdas.length + " x " + samples
                    + " rows per prompt; at most " + MAX_ROWS_PER_PROMPT + " are allowed (all rows of a prompt"
                    + " decode in one batch)");
        }
        if (sampling == null || stop == null) {
            throw new IllegalArgumentException("decode settings need sampling and stop conditions");
        }
    }

    /** Every option at its default. */
    public static DecodeSettings defaults() {
        return parse(Map.of());
    }

    /**
     * Settings from job-config text by key ({@code decode.lambdas = 0,1}, ...); an absent key takes its default,
     * keys that are no decode option are ignored.
     */
    public static DecodeSettings parse(Map<String, String> textByKey) {
        Map<DecodeOption, Object> values = new EnumMap<>(DecodeOption.class);
        for (DecodeOption option : DecodeOption.values()) {
            values.put(option, option.parse(textByKey.getOrDefault(option.key(), option.defaultText())));
        }
        return of(values::get);
    }

    /** Settings from one typed value per option (the typed forms of {@link DecodeOption.Kind}). */
    public static DecodeSettings of(Function<DecodeOption, Object> value) {
        SamplingParams sampling;
        try {
            sampling = new SamplingParams((Double) value.apply(DecodeOption.TEMPERATURE),
                    (Integer) value.apply(DecodeOption.TOP_K), (Double) value.apply(DecodeOption.TOP_P),
                    (Double) value.apply(DecodeOption.MIN_P));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sampling: " + e.getMessage(), e);
        }
        StopConditions stop = new StopConditions((Integer) value.apply(DecodeOption.MAX_NEW_TOKENS), Set.of(),
                Arrays.asList((String[]) value.apply(DecodeOption.STOP_STRINGS)));
        return new DecodeSettings((double[]) value.apply(DecodeOption.LAMBDAS),
                (Integer) value.apply(DecodeOption.SAMPLES), (Long) value.apply(DecodeOption.SEED), sampling, stop);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    public int maxNewTokens() {
        return stop.maxNewTokens();
    }

    public List<String> stopStrings() {
        return stop.stopStrings();
    }

    /** Output rows per prompt: one per (lambda, sample). */
    public int rowsPerPrompt() {
        return lambdas.length * samples;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DecodeSettings that && Arrays.equals(lambdas, that.lambdas)
                && samples == that.samples && seed == that.seed && sampling.equals(that.sampling)
                && stop.equals(that.stop);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lambdas) + Objects.hash(samples, seed, sampling, stop);
    }

    @Override
    public String toString() {
        return "DecodeSettings[lambdas=" + Arrays.toString(lambdas) + ", samples=" + samples + ", seed=" + seed
                + ", sampling=" + sampling + ", stop=" + stop + "]";
    }
}
