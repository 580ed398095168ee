package dev.dera.spark;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Driver side: reads the prompts (Parquet, or JSON Lines in PERMISSIVE mode) into columns prompt_id, prompt,
 * messages where the input has them, input_error, and the input's other columns (which the output carries), and
 * checks them before any decoding task runs ({@link ChatPrompts} renders the messages). A malformed JSON line becomes
 * a prompt whose input_error says so; it keeps its prompt_id where the id can still be read (a plain string after
 * {@code "prompt_id":}), else gets {@code _corrupt:} and a hash of file and line.
 */
final class PromptInput {
    private static final String CORRUPT = "_corrupt_record";
    private static final int EXAMPLES = 5;
    /** A plain (unescaped) string prompt_id in a line that is otherwise not valid JSON. */
    private static final String READABLE_ID = "\"prompt_id\"\\s*:\\s*\"([^\"\\\\]*)\"";

    private PromptInput() {}

    static Dataset<Row> read(SparkSession spark, String path, String format) {
        InputFiles.requireReadable(spark.sparkContext().hadoopConfiguration(), path, format);
        if (format.equals("parquet")) {
            Dataset<Row> parquet = spark.read().parquet(path);
            Schemas.requirePromptColumns(parquet.schema(), path);
            Dataset<Row> withPrompt = Arrays.asList(parquet.columns()).contains(Schemas.PROMPT) ? parquet
                    : parquet.withColumn(Schemas.PROMPT, lit(null).cast(DataTypes.StringType)); // messages alone
            return withPrompt.withColumn(PartitionDecoder.INPUT_ERROR, lit(null).cast(DataTypes.StringType));
        }
        Dataset<Row> json = spark.read()
                .schema(jsonSchema(spark, path))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .json(path);
        Column readableId = nullif(regexp_extract(col(CORRUPT), READABLE_ID, 1), lit(""));
        List<Column> columns = new ArrayList<>(List.of(
                coalesce(col(Schemas.PROMPT_ID), readableId, concat(lit("_corrupt:"),
                        substring(sha2(concat(input_file_name(), col(CORRUPT)), 256), 1, 16))).as(Schemas.PROMPT_ID),
                col(Schemas.PROMPT),
                when(col(CORRUPT).isNotNull(), concat(lit("malformed JSON line: "), substring(col(CORRUPT), 1, 200)))
                        .as(PartitionDecoder.INPUT_ERROR)));
        for (String other : json.schema().fieldNames()) {
            if (!List.of(Schemas.PROMPT_ID, Schemas.PROMPT, CORRUPT).contains(other)) {
                columns.add(Schemas.column(other));
            }
        }
        return json.select(columns.toArray(new Column[0]));
    }

    /**
     * prompt_id and prompt as strings, messages as a conversation where the lines have it, then the other columns
     * the lines have (inferred), carried to the output.
     */
    private static StructType jsonSchema(SparkSession spark, String path) {
        StructType schema = new StructType(new StructField[] {
            Schemas.PROMPTS.apply(Schemas.PROMPT_ID), Schemas.PROMPTS.apply(Schemas.PROMPT)});
        for (StructField field : spark.read().option("mode", "PERMISSIVE").json(path).schema().fields()) {
            if (field.name().equals(Schemas.MESSAGES)) {
                schema = schema.add(Schemas.PROMPTS.apply(Schemas.MESSAGES));
            } else if (!Arrays.asList(schema.fieldNames()).contains(field.name()) && !field.name().equals(CORRUPT)) {
                schema = schema.add(field);
            }
        }
        return schema.add(CORRUPT, DataTypes.StringType);
    }

    /** The chunk of each prompt (docs/EXACTLY_ONCE.md): {@value RunManifest#CHUNK_ASSIGNMENT}. */
    static Column chunkOf(int chunks) {
        return pmod(xxhash64(col(Schemas.PROMPT_ID)), lit(chunks));
    }

    /**
     * What one pass over the prompts tells before anything is written.
     *
     * @param fingerprint row count and an order-free hash of every row, for resume checks
     * @param promptsPerChunk prompts per chunk, for chunks that have any
     */
    record Checked(String fingerprint, Map<Integer, Long> promptsPerChunk) {}

    /**
     * Checks the prompts in one Spark query (one pass over the input): fails when they have no rows, when a
     * prompt_id is null or appears more than once ({@link #requireUniqueIds} then names examples), or when no row
     * has a prompt (a JSON Lines file without a prompt field). Rows are counted per (chunk, prompt_id), then per
     * chunk.
     */
    static Checked check(Dataset<Row> prompts, String path, int chunks) {
        Column prompt = Arrays.asList(prompts.columns()).contains(Schemas.MESSAGES)
                ? coalesce(col(Schemas.PROMPT), col(Schemas.MESSAGES).cast(DataTypes.StringType)) : col(Schemas.PROMPT);
        List<Row> perChunk = prompts
                .groupBy(chunkOf(chunks).as("chunk"), col(Schemas.PROMPT_ID))
                .agg(count(lit(1)).as("rows"), count(prompt).as("given"), bit_xor(xxhash64(col(Schemas.PROMPT_ID),
                        col(Schemas.PROMPT), col(PartitionDecoder.INPUT_ERROR))).as("hash"))
                .groupBy("chunk")
                .agg(sum("rows"), sum("given"), bit_xor(col("hash")),
                        max(col(Schemas.PROMPT_ID).isNull().or(col("rows").gt(1))))
                .collectAsList();
        Map<Integer, Long> promptsPerChunk = new TreeMap<>();
        long rows = 0;
        long withPrompt = 0;
        long hash = 0;
        boolean badIds = false;
        for (Row chunk : perChunk) {
            promptsPerChunk.put(Math.toIntExact(chunk.getLong(0)), chunk.getLong(1));
            rows += chunk.getLong(1);
            withPrompt += chunk.getLong(2);
            hash ^= chunk.getLong(3);
            badIds |= chunk.getBoolean(4);
        }
        if (rows == 0) {
            throw new IllegalArgumentException("input " + path + " has no rows; there is nothing to generate");
        }
        if (badIds) {
            requireUniqueIds(prompts, path);
        }
        if (withPrompt == 0) {
            throw new IllegalArgumentException("input " + path + " has no \"" + Schemas.PROMPT + "\" or \""
                    + Schemas.MESSAGES + "\" in any of its " + rows + " rows; expected the columns of"
                    + " data-schemas/prompts.json");
        }
        return new Checked(rows + " rows, xor of row hashes " + Long.toHexString(hash), promptsPerChunk);
    }

    /** Fails, with examples, when a prompt_id is null or appears more than once. */
    private static void requireUniqueIds(Dataset<Row> prompts, String path) {
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
