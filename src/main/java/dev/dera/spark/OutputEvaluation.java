package dev.dera.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.google.gson.JsonObject;
import dev.dera.eval.PromptGroup;
import dev.dera.eval.RewardScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores the rows of a dera generate output with a reward, as a Spark stage (rewards are computed on the executors),
 * and sums them per (lambda, prompt) for the per-lambda table and its bootstrap.
 */
public final class OutputEvaluation {
    static final String COMPLETION_TEXT = "completion_text";

    private OutputEvaluation() {}

    /**
     * Scores every row without error with {@code scorer} (a reward model sees the prompt text that the output keeps,
     * rendered where the input gave a conversation) and sums per (lambda, prompt).
     */
    public static List<PromptGroup> scoreByPrompt(SparkSession spark, String outputDir, RewardScorer scorer) {
        Dataset<Row> generations = read(spark, outputDir, Schemas.GENERATIONS);
        Column prompt = lit(null).cast(DataTypes.StringType);
        if (scorer.needsPrompts()) {
            requireNoneNull(generations.where(col(Schemas.FINISH_REASON).notEqual(lit(GenerationRows.ERROR))),
                    Schemas.PROMPT, outputDir + " has rows without their prompt text (written by an older dera);"
                            + " the reward model needs it: generate the output again");
            prompt = col(Schemas.PROMPT);
        }
        Dataset<Row> toScore =
                PromptGroups.scored(generations, lit(null), col(COMPLETION_TEXT), prompt.as(Schemas.PROMPT));
        Dataset<Row> scored = toScore.mapPartitions(new ScorePartition(scorer), Encoders.row(PromptGroups.SCORED));
        return PromptGroups.collect(scored, true);
    }

    /** Takes the rewards from a numeric column that the user joined to the output, and sums per (lambda, prompt). */
    public static List<PromptGroup> columnByPrompt(SparkSession spark, String outputDir, String rewardColumn) {
        if (Arrays.asList(Schemas.GENERATIONS.fieldNames()).contains(rewardColumn)) {
            throw new IllegalArgumentException("--reward-column " + rewardColumn + " is a column of every dera"
                    + " generate output, not a reward");
        }
        Dataset<Row> generations =
                read(spark, outputDir, Schemas.GENERATIONS.add(rewardColumn, DataTypes.DoubleType));
        requireNoneNull(generations.where(col(Schemas.FINISH_REASON).notEqual(lit(GenerationRows.ERROR))),
                rewardColumn, outputDir + " has no numeric value in column " + rewardColumn + " for some rows"
                        + " without error (--reward-column)");
        return PromptGroups.collect(PromptGroups.scored(generations, col(rewardColumn)), true);
    }

    /** The output's rows with {@code schema}; the format comes from the manifest, or the files when it has none. */
    static Dataset<Row> read(SparkSession spark, String outputDir, StructType schema) {
        OutputFolder folder = new OutputFolder(outputDir, spark.sparkContext().hadoopConfiguration());
        String format = manifest(folder, outputDir)
                .map(m -> m.getAsJsonObject("config").get("output.format").getAsString())
                .orElseGet(() -> formatOfFiles(spark, outputDir));
        return spark.read().schema(schema).format(format).load(outputDir);
    }

    private static void requireNoneNull(Dataset<Row> rows, String column, String message) {
        if (!rows.where(col(column).isNull()).isEmpty()) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The resolved settings of the finished run that wrote {@code outputDir}, from its manifest: what another run
     * over the same prompts with the same sampling starts from.
     */
    public static Map<String, String> runSettings(SparkSession spark, String outputDir) {
        OutputFolder folder = new OutputFolder(outputDir, spark.sparkContext().hadoopConfiguration());
        return settings(manifest(folder, outputDir).orElseThrow(() -> new IllegalArgumentException(
                outputDir + " has no " + OutputFolder.MANIFEST + "; is it the output folder of dera generate?")));
    }

    private static Map<String, String> settings(JsonObject manifest) {
        Map<String, String> settings = new LinkedHashMap<>();
        manifest.getAsJsonObject("config").entrySet()
                .forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
        return settings;
    }

    /** The manifest when present; fails when it says the run is unfinished. */
    private static Optional<JsonObject> manifest(OutputFolder folder, String outputDir) {
        Optional<JsonObject> manifest = folder.readManifest().map(RunManifest::parse);
        if (manifest.isPresent() && !RunManifest.isComplete(manifest.get())) {
            throw new IllegalArgumentException(outputDir + " holds an unfinished run; complete it with dera generate"
                    + " --resume first");
        }
        return manifest;
    }

    private static String formatOfFiles(SparkSession spark, String outputDir) {
        Path root = new Path(outputDir);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root)) {
                throw new IllegalArgumentException("input " + outputDir + " does not exist");
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                String name = files.next().getPath().getName();
                if (name.endsWith(".parquet")) {
                    return "parquet";
                }
                if (name.endsWith(".json") || name.endsWith(".jsonl")) {
                    return "json";
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + outputDir, e);
        }
        throw new IllegalArgumentException(outputDir + " holds no .parquet or .json files");
    }
}
