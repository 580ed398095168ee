package dev.dera.decode;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The one table of decode settings: for each, its job-config key, command-line flag, Spark ML Param name, default
 * (in the config file's text form), kind of value and meaning. {@code JobConfig}'s keys and defaults, the CLI's
 * options and {@code DeraTransformer}'s Params are made from this table, and every one of them becomes a
 * {@link DecodeSettings} through {@link DecodeSettings#of}. A new decode option is a row here, a component there
 * (read in {@code of}), and the Transformer's typed Param accessor, getter and setter (Spark ML's Java style).
 */
public enum DecodeOption {
    LAMBDAS("decode.lambdas", "--lambdas", "lambdas", Kind.NUMBER_LIST, "0,0.5,1,2",
            "realignment strengths, comma-separated, finite and distinct: 0 = reference, 1 = aligned, above 1"
                    + " extrapolates", DecodeSettings::lambdas),
    SAMPLES("decode.samples", "--samples", "samples", Kind.INT, "1",
            "samples per lambda; lambdas x samples is at most " + DecodeSettings.MAX_ROWS_PER_PROMPT + " rows per"
                    + " prompt", DecodeSettings::samples),
    SEED("decode.seed", "--seed", "seed", Kind.LONG, "0", "run seed of the counter-based random draws",
            DecodeSettings::seed),
    MAX_NEW_TOKENS("decode.max_new_tokens", "--max-new-tokens", "maxNewTokens", Kind.INT, "64",
            "most generated tokens per row", DecodeSettings::maxNewTokens),
    TEMPERATURE("sampling.temperature", "--temperature", "temperature", Kind.NUMBER, "0",
            "sampling temperature, 0 = greedy", settings -> settings.sampling().temperature()),
    TOP_K("sampling.top_k", "--top-k", "topK", Kind.INT, "0", "top-k filter, 0 = off",
            settings -> settings.sampling().topK()),
    TOP_P("sampling.top_p", "--top-p", "topP", Kind.NUMBER, "1", "top-p filter in (0, 1], 1 = off",
            settings -> settings.sampling().topP()),
    MIN_P("sampling.min_p", "--min-p", "minP", Kind.NUMBER, "0", "min-p filter in [0, 1), 0 = off",
            settings -> settings.sampling().minP()),
    STOP_STRINGS("stop.strings", "--stop", "stopStrings", Kind.TEXT_LIST, "[]",
            "texts that end a completion, cut from its text",
            settings -> settings.stopStrings().toArray(new String[0]));

    /** The kinds of value a decode option holds, each with its typed form and its one parser. */
    public enum Kind {
        /** Comma-separated numbers; typed {@code double[]}. */
        NUMBER_LIST,
        /** Typed {@link Integer}. */
        INT,
        /** Typed {@link Long}. */
        LONG,
        /** Typed {@link Double}. */
        NUMBER,
        /** A JSON array of strings (a repeated flag on the command line); typed {@code String[]}. */
        TEXT_LIST;

        Object parse(String key, String text) {
            return switch (this) {
                case NUMBER_LIST -> numbers(key, text);
                case INT -> (int) integer(key, text, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case LONG -> integer(key, text, Long.MIN_VALUE, Long.MAX_VALUE);
                case NUMBER -> number(text, key + " must be a number, got \"" + text + "\"");
                case TEXT_LIST -> texts(key, text);
            };
        }

        private static double[] numbers(String key, String text) {
            String[] parts = text.split(",");
            double[] numbers = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                numbers[i] = number(parts[i], key + ": \"" + parts[i].trim() + "\" is not a number");
            }
            return numbers;
        }

        private static long integer(String key, String text, long min, long max) {
            try {
                long value = Long.parseLong(text.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // the message below says what is wanted
            }
            throw new IllegalArgumentException(key + " must be an integer, got \"" + text + "\"");
        }

        private static double number(String text, String message) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(message);
            }
        }

        private static String[] texts(String key, String text) {
            try {
                String[] texts = new Gson().fromJson(text, String[].class);
                if (texts == null || Arrays.asList(texts).contains(null)) {
                    throw new JsonParseException("null");
                }
                return texts;
            } catch (JsonParseException e) {
                throw new IllegalArgumentException(key + " must be a JSON array of non-null strings, e.g."
                        + " [\"\\n\\n\", \"The end\"]; got " + text);
            }
        }
    }

    private final String key;
    private final String flag;
    private final String param;
    private final Kind kind;
    private final String defaultText;
    private final String doc;
    private final Function<DecodeSettings, Object> valueIn;

    DecodeOption(String key, String flag, String param, Kind kind, String defaultText, String doc,
            Function<DecodeSettings, Object> valueIn) {
        this.key = key;
        this.flag = flag;
        this.param = param;
        this.kind = kind;
        this.defaultText = defaultText;
        this.doc = doc;
        this.valueIn = valueIn;
    }

    /** The job-config key (conf files, {@code --set}). */
    public String key() {
        return key;
    }

    /** The command-line flag of {@code decode} and {@code generate}. */
    public String flag() {
        return flag;
    }

    /** The name of {@code DeraTransformer}'s Param. */
    public String param() {
        return param;
    }

    public Kind kind() {
        return kind;
    }

    /** The default in the job config's text form. */
    public String defaultText() {
        return defaultText;
    }

    /** What the setting means, for help texts and Param docs. */
    public String doc() {
        return doc;
    }

    /** Parses the job config's text form into the typed value ({@link Kind}); one-line errors name the key. */
    public Object parse(String text) {
        return kind.parse(key, text);
    }

    /** The typed default. */
    public Object defaultValue() {
        return parse(defaultText);
    }

    /** This option's typed value in {@code settings}. */
    public Object valueIn(DecodeSettings settings) {
        return valueIn.apply(settings);
    }
}
