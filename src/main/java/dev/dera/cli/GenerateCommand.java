package dev.dera.cli;

import com.google.gson.JsonObject;
import dev.dera.spark.ConfFile;
import dev.dera.spark.DeraJob;
import dev.dera.spark.ExecutorWait;
import dev.dera.spark.ChunkListener;
import dev.dera.spark.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Spark job: DeRa decoding of a prompt dataset at several lambdas into Parquet (or JSON Lines), with a run
 * manifest. Settings come from defaults, then {@code --conf} files, then the options given here (see conf/README.md).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Decode every prompt of a dataset at several realignment strengths with Spark; writes one row"
                + " per (prompt_id, lambda, sample_index) and _dera_manifest.json.")
final class GenerateCommand implements Callable<Integer> {
    static final int TOO_MANY_ERRORS = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--conf", description = "config file of key = value lines (repeatable; later ones win)")
    List<Path> confFiles = List.of();

    @Option(names = "--ref-model", description = "reference (SFT) model folder, any Hadoop filesystem [model.ref]")
    String refModel;

    @Option(names = "--aligned-model", description = "aligned model folder, any Hadoop filesystem [model.aligned]")
    String alignedModel;

    @Option(names = "--input", description = "prompts: Parquet or JSON Lines [input.path]")
    String input;

    @Option(names = "--input-format", description = "auto, parquet or json [input.format]")
    String inputFormat;

    @Option(names = "--output", description = "output folder [output.path]")
    String output;

    @Option(names = "--output-format", description = "parquet or json [output.format]")
    String outputFormat;

    @Option(names = "--keep-columns", description = "input columns to carry, comma-separated [output.keep_columns]")
    String keepColumns;

    @Option(names = "--partitions", description = "Spark partitions per chunk, 0 = default parallelism [job.partitions]")
    String partitions;

    @Option(names = "--chunks", description = "commit units of the output [job.chunks]")
    String chunks;

    @Option(names = "--max-active-rows", description = "rows decoding at once per task, 0 = the device's default"
            + " [batch.max_active_rows]")
    String maxActiveRows;

    @Option(names = "--master", description = "Spark master when not run by spark-submit [job.master]")
    String master;

    @Option(names = "--resume", description = "complete an interrupted run in --output, skipping committed chunks")
    boolean resume;

    @Option(names = "--set", description = "any config key, e.g. --set batch.max_tokens=32768 (repeatable)")
    Map<String, String> overrides = Map.of();

    @Option(names = "--dtype", description = "compute dtype: float32 or float16 [model.dtype]")
    String dtype;

    /** Not a generate option (Spark assigns each task's device); declared, hidden, only to say so. */
    @Option(names = "--device", hidden = true)
    String device;

    @Mixin
    DecodingOptions decoding;

    @Override
    public Integer call() {
        JobConfig config = resolveConfig();
        boolean embedded = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession spark = startSpark(config);
        try {
            ExecutorWait.awaitFirstExecutor(spark);
            JsonObject manifest = new DeraJob(spark, config, System.err).run(resume, ChunkListener.NONE);
            double errors = DeraJob.errorFraction(manifest);
            if (errors > config.maxErrorFraction()) {
                System.err.printf(Locale.ROOT, "dera: %.1f%% of the rows are errors, more than errors.max_fraction"
                        + " = %s; see their error column%n", 100 * errors, config.get("errors.max_fraction"));
                return TOO_MANY_ERRORS;
            }
        } finally {
            if (!embedded) {
                spark.stop(); // a session that was running before (a notebook, a test) is the caller's to stop
            }
        }
        return 0;
    }

    private SparkSession startSpark(JobConfig config) {
        SparkSession.Builder builder = SparkSession.builder().appName("dera generate");
        if (!new SparkConf().contains("spark.master") || matched("--master")) {
            builder.master(config.master());
        }
        config.sparkConf().forEach(builder::config);
        try {
            return builder.getOrCreate();
        } catch (Exception e) { // SparkContext throws SparkException, which Java does not see as checked
            throw new IllegalArgumentException("cannot start Spark (master " + config.master() + "): "
                    + e.getMessage(), e);
        }
    }

    /** Defaults, then the conf files, then the options given on the command line. */
    JobConfig resolveConfig() {
        if (matched("--device")) {
            throw new IllegalArgumentException("generate takes each task's device from Spark: the GPU Spark assigns"
                    + " (spark.task.resource.gpu.amount), else the CPU; drop --device");
        }
        List<Map<String, String>> layers = new ArrayList<>();
        confFiles.forEach(file -> layers.add(ConfFile.read(file)));
        layers.add(commandLineValues());
        layers.add(overrides);
        @SuppressWarnings("unchecked")
        Map<String, String>[] array = layers.toArray(new Map[0]);
        return JobConfig.resolve(array);
    }

    private Map<String, String> commandLineValues() {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "--ref-model", "model.ref", refModel);
        put(values, "--aligned-model", "model.aligned", alignedModel);
        put(values, "--dtype", "model.dtype", dtype);
        put(values, "--input", "input.path", input);
        put(values, "--input-format", "input.format", inputFormat);
        put(values, "--output", "output.path", output);
        put(values, "--output-format", "output.format", outputFormat);
        put(values, "--keep-columns", "output.keep_columns", keepColumns);
        put(values, "--partitions", "job.partitions", partitions);
        put(values, "--chunks", "job.chunks", chunks);
        put(values, "--master", "job.master", master);
        put(values, "--max-active-rows", "batch.max_active_rows", maxActiveRows);
        values.putAll(decoding.given());
        put(values, "--chat-template", "prompt.chat_template", String.valueOf(decoding.chatTemplate));
        return values;
    }

    private void put(Map<String, String> values, String option, String key, String value) {
        if (matched(option)) {
            values.put(key, value);
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
