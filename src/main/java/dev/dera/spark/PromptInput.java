package dev.dera.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Driver side: reads the prompts (Parquet, or JSON Lines in PERMISSIVE mode) into columns prompt_id, prompt,
 * messages and input_error, and checks them before any decoding task runs ({@link ChatPrompts} renders the
 * messages). A malformed JSON line becomes a prompt whose
 * input_error says so (its prompt_id, when the line has none, is {@code _corrupt:} and a hash of file and line).
 */
final class PromptInput {
    private static final String CORRUPT = "_corrupt_record";
    private static final int EXAMPLES = 5;

    private PromptInput() {}

    static Dataset<Row> read(SparkSession spark, String path, String format) {
        requireExists(spark, path);
        if (format.equals("parquet")) {
            Dataset<Row> parquet = spark.read().parquet(path);
            Schemas.requirePromptColumns(parquet.schema(), path);
            return parquet.select(col(Schemas.PROMPT_ID), columnOrNull(parquet, Schemas.PROMPT),
                    columnOrNull(parquet, Schemas.MESSAGES),
                    lit(null).cast(DataTypes.StringType).as(PartitionDecoder.INPUT_ERROR));
        }
        Dataset<Row> json = spark.read()
                .schema(Schemas.PROMPTS.add(CORRUPT, DataTypes.StringType))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .json(path);
        return json.select(
                coalesce(col(Schemas.PROMPT_ID), concat(lit("_corrupt:"),
                        substring(sha2(concat(input_file_name(), col(CORRUPT)), 256), 1, 16))).as(Schemas.PROMPT_ID),
                col(Schemas.PROMPT),
                col(Schemas.MESSAGES),
                when(col(CORRUPT).isNotNull(), concat(lit("malformed JSON line: "), substring(col(CORRUPT), 1, 200)))
                        .as(PartitionDecoder.INPUT_ERROR));
    }

    /** The column, or nulls of its type where the input lacks it (an input may have prompt or messages alone). */
    private static Column columnOrNull(Dataset<Row> input, String name) {
        return Arrays.asList(input.columns()).contains(name) ? col(name)
                : lit(null).cast(Schemas.PROMPTS.apply(name).dataType()).as(name);
    }

    /** Fails when nothing matches {@code path} (a file, a folder or a glob, on any Hadoop filesystem). */
    private static void requireExists(SparkSession spark, String path) {
        Path input = new Path(path);
        try {
            FileStatus[] matches = input.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(input);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("input " + path + " does not exist (input.path, --input)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the input " + path, e);
        }
    }

    /** Fails, with examples, when a prompt_id is null or appears more than once. */
    static void requireUniqueIds(Dataset<Row> prompts, String path) {
        List<Row> bad = prompts.groupBy(Schemas.PROMPT_ID).count()
                .filter(col("count").gt(1).or(col(Schemas.PROMPT_ID).isNull()))
                .limit(EXAMPLES)
                .collectAsList();
        if (bad.isEmpty()) {
            return;
        }
        if (bad.stream().anyMatch(r -> r.isNullAt(0))) {
            throw new IllegalArgumentException("input " + path + " has rows without prompt_id; every prompt needs a"
                    + " unique, non-null prompt_id (it keys the output rows and the random draws)");
        }
        throw new IllegalArgumentException("input " + path + " has duplicate prompt_ids, e.g. " + bad.stream()
                .map(r -> "\"" + r.getString(0) + "\" (" + r.getLong(1) + " times)")
                .collect(Collectors.joining(", ")) + "; prompt_id must be unique");
    }
}
