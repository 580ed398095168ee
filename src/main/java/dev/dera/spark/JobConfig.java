package dev.dera.spark;

import com.google.gson.Gson;
import dev.dera.decode.DecodeOption;
import dev.dera.decode.DecodeSettings;
import dev.dera.lm.ComputeType;
import dev.dera.lm.ModelConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The resolved, validated configuration of a {@code dera generate} run: built-in defaults, then conf files, then
 * command-line overrides, all as {@code key = value} pairs (see conf/README.md for every key). Keys starting with
 * {@code spark.} go to the Spark session unchanged. Every check runs here, on the driver, before any task.
 */
public final class JobConfig {
    /** The most commit chunks: each is a Spark job and a folder, so more only adds overhead. */
    static final int MAX_CHUNKS = 100_000;
    /** The keys that name files or folders: made absolute on the driver, so every executor reads the same ones. */
    static final List<String> PATH_KEYS = List.of("model.ref", "model.aligned", "input.path", "output.path");
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?])?|local-cluster\\[\\d+,\\d+,\\d+]|yarn|(spark|k8s|mesos)://\\S+");

    /** Every key this job understands, with its default ("" = required or empty). */
    static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values;
    private final DecodeSettings decode;

    private JobConfig(Map<String, String> values) {
        this.values = values;
        this.decode = DecodeSettings.parse(values);
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("model.ref", "");
        d.put("model.aligned", "");
        d.put("model.dtype", "float32");
        d.put("input.path", "");
        d.put("input.format", "auto");
        d.put("output.path", "");
        d.put("output.format", "parquet");
        d.put("output.keep_columns", "*");
        d.put("output.rows_per_file", "0");
        for (DecodeOption option : DecodeOption.values()) {
            d.put(option.key(), option.defaultText());
        }
        d.put("prompt.truncate", "error");
        d.put("prompt.chat_template", "");
        d.put("batch.max_tokens", "65536");
        d.put("batch.max_prompts", "64");
        d.put("batch.max_active_rows", "0");
        d.put("job.master", "local[*]");
        d.put("job.partitions", "0");
        d.put("job.chunks", "16");
        d.put("job.concurrent_chunks", "2");
        d.put("job.progress_seconds", "5");
        d.put("errors.max_fraction", "0.1");
        return d;
    }

    /** Applies {@code layers} in order over the defaults and validates the result. */
    @SafeVarargs
    public static JobConfig resolve(Map<String, String>... layers) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        for (Map<String, String> layer : layers) {
            for (Map.Entry<String, String> entry : layer.entrySet()) {
                String key = entry.getKey();
                if (!DEFAULTS.containsKey(key) && !key.startsWith("spark.")) {
                    throw new IllegalArgumentException("unknown config key \"" + key + "\"; known keys: "
                            + String.join(", ", DEFAULTS.keySet()) + ", and spark.* for Spark itself");
                }
                merged.put(key, entry.getValue());
            }
        }
        JobConfig config = new JobConfig(merged);
        config.validate();
        return config;
    }

    private void validate() {
        for (String required : List.of("model.ref", "model.aligned", "input.path", "output.path")) {
            if (get(required).isEmpty()) {
                throw new IllegalArgumentException(required + " is not set (--" + optionName(required)
                        + " or a conf file)");
            }
        }
        computeType();
        inputFormat();
        outputFormat();
        if (integer("output.rows_per_file") < 0) {
            throw new IllegalArgumentException("output.rows_per_file must be >= 0 (0 = no limit)");
        }
        truncateLeft();
        chatTemplateFile();
        positive("batch.max_tokens");
        positive("batch.max_prompts");
        if (batchMaxActiveRows() < 0) {
            throw new IllegalArgumentException("batch.max_active_rows must be >= 0 (0 = the device's default)");
        }
        if (integer("job.partitions") < 0) {
            throw new IllegalArgumentException("job.partitions must be >= 0 (0 = Spark's default parallelism)");
        }
        if (positive("job.chunks") > MAX_CHUNKS) {
            throw new IllegalArgumentException("job.chunks must be at most " + MAX_CHUNKS + ", got " + chunks());
        }
        positive("job.concurrent_chunks");
        if (!MASTER.matcher(master()).matches()) {
            throw new IllegalArgumentException("job.master (--master) \"" + master() + "\" is not a Spark master"
                    + " URL; use local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL");
        }
        positive("job.progress_seconds");
        TaskDevices.cpuFallback(values.getOrDefault(TaskDevices.CPU_FALLBACK, "false"));
        double maxErrors = number("errors.max_fraction");
        if (!(maxErrors >= 0 && maxErrors <= 1)) {
            throw new IllegalArgumentException("errors.max_fraction must be in [0, 1], got " + maxErrors);
        }
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no config key " + key);
        }
        return value;
    }

    /** All resolved keys, sorted (for the run manifest). */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    /** The {@code spark.*} keys, for the Spark session. */
    public Map<String, String> sparkConf() {
        Map<String, String> spark = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("spark.")) {
                spark.put(k, v);
            }
        });
        return spark;
    }

    public String refModel() {
        return get("model.ref");
    }

    public String alignedModel() {
        return get("model.aligned");
    }

    public ComputeType computeType() {
        try {
            return ComputeType.parse(get("model.dtype"));
        } catch (ModelConfigException e) {
            throw new IllegalArgumentException("model.dtype: " + e.getMessage(), e);
        }
    }

    public String inputPath() {
        return get("input.path");
    }

    /** "parquet" or "json", from input.format or, when "auto", the file extension. */
    public String inputFormat() {
        String format = get("input.format").toLowerCase(Locale.ROOT);
        if (format.equals("auto")) {
            String path = inputPath().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
            if (path.endsWith(".parquet")) {
                return "parquet";
            }
            if (path.endsWith(".jsonl") || path.endsWith(".json") || path.endsWith(".ndjson")) {
                return "json";
            }
            throw new IllegalArgumentException("cannot tell the format of input " + inputPath()
                    + " from its extension (.parquet, .jsonl, .json); set input.format (--input-format)");
        }
        return oneOf("input.format", format, "parquet", "json");
    }

    public String outputPath() {
        return get("output.path");
    }

    public String outputFormat() {
        return oneOf("output.format", get("output.format").toLowerCase(Locale.ROOT), "parquet", "json");
    }

    /** The input columns the output carries besides prompt_id and prompt; empty = every input column. */
    public Optional<List<String>> keepColumns() {
        String value = get("output.keep_columns").trim();
        if (value.equals("*")) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(value.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toList()));
    }

    /** Most rows in one output file (Spark's maxRecordsPerFile); 0 = no limit. */
    public int rowsPerFile() {
        return integer("output.rows_per_file");
    }

    /** The decode settings (lambdas, samples, seed, sampling, stopping), parsed and checked once. */
    public DecodeSettings decode() {
        return decode;
    }

    /** Whether an over-long prompt keeps its last tokens (prompt.truncate = left) instead of becoming an error. */
    public boolean truncateLeft() {
        return oneOf("prompt.truncate", get("prompt.truncate").toLowerCase(Locale.ROOT), "error", "left")
                .equals("left");
    }

    /** A chat template file for rows with messages (prompt.chat_template), instead of the model folder's own. */
    public Optional<Path> chatTemplateFile() {
        String file = get("prompt.chat_template").trim();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(Path.of(file))) {
            throw new IllegalArgumentException("prompt.chat_template: no file " + file + " (--chat-template)");
        }
        return Optional.of(Path.of(file));
    }

    public int batchMaxTokens() {
        return integer("batch.max_tokens");
    }

    public int batchMaxPrompts() {
        return integer("batch.max_prompts");
    }

    /** Rows decoding at once per task; 0 = the device's default (decode.BatchLimits). */
    public int batchMaxActiveRows() {
        return integer("batch.max_active_rows");
    }

    public String master() {
        return get("job.master");
    }

    public int partitions() {
        return integer("job.partitions");
    }

    public int chunks() {
        return integer("job.chunks");
    }

    /** How many chunks' Spark jobs may run at once. */
    public int concurrentChunks() {
        return integer("job.concurrent_chunks");
    }

    public int progressSeconds() {
        return integer("job.progress_seconds");
    }

    public double maxErrorFraction() {
        return number("errors.max_fraction");
    }

    /** The same configuration with every path key made absolute by {@code absolute} (validated again). */
    public JobConfig withAbsolutePaths(UnaryOperator<String> absolute) {
        Map<String, String> paths = new LinkedHashMap<>();
        PATH_KEYS.forEach(key -> paths.put(key, absolute.apply(get(key))));
        return resolve(values, paths);
    }

    /**
     * The settings that shape the output rows, each in one canonical form (parsed numbers, so {@code 0,1} equals
     * {@code 0.0,1.0}); models and input are compared by content instead (docs/EXACTLY_ONCE.md).
     */
    public Map<String, String> resultSettings() {
        Map<String, String> settings = new TreeMap<>();
        settings.put("model.dtype", computeType().name());
        settings.put("decode.lambdas", Arrays.toString(decode.lambdas()));
        settings.put("decode.samples", String.valueOf(decode.samples()));
        settings.put("decode.seed", String.valueOf(decode.seed()));
        settings.put("decode.max_new_tokens", String.valueOf(decode.maxNewTokens()));
        settings.put("sampling", decode.sampling().toString());
        settings.put("stop.strings", new Gson().toJson(decode.stopStrings()));
        settings.put("prompt.truncate", String.valueOf(truncateLeft()));
        settings.put("job.chunks", String.valueOf(chunks()));
        settings.put("output.format", outputFormat());
        settings.put("output.keep_columns", keepColumns().map(String::valueOf).orElse("*"));
        return settings;
    }

    /** The same configuration with one key replaced (validated again). */
    public JobConfig with(String key, String value) {
        return resolve(values, Map.of(key, value));
    }

    private int positive(String key) {
        int value = integer(key);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
        return value;
    }

    private int integer(String key) {
        try {
            return Integer.parseInt(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got \"" + get(key) + "\"");
        }
    }

    private double number(String key) {
        try {
            return Double.parseDouble(get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got \"" + get(key) + "\"");
        }
    }

    private static String oneOf(String key, String value, String... allowed) {
        if (!Arrays.asList(allowed).contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", got \""
                    + value + "\"");
        }
        return value;
    }

    private static String optionName(String key) {
        switch (key) {
            case "model.ref":
                return "ref-model";
            case "model.aligned":
                return "aligned-model";
            case "input.path":
                return "input";
            default:
                return "output";
        }
    }
}
