package dev.dera.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The table {@code dera generate} publishes: which input columns it carries (output.keep_columns), how a chunk's
 * rows are written in its layout (so that publishing only moves files), and how the finished table is read.
 */
final class GenerationsTable {
    /** The string copy of lambda that names the Parquet partition folders while a chunk is written. */
    private static final String LAMBDA_FOLDER = "lambda_folder";

    private final JobConfig config;
    private final OutputFolder output;

    GenerationsTable(JobConfig config, OutputFolder output) {
        this.config = config;
        this.output = output;
    }

    /** The prompts with only the carried columns that output.keep_columns names (and those the job reads). */
    Dataset<Row> keptColumns(Dataset<Row> prompts) {
        if (config.keepColumns().isEmpty()) {
            return prompts;
        }
        List<String> available = Arrays.asList(prompts.columns());
        Set<String> kept = new LinkedHashSet<>(Arrays.asList(Schemas.PROMPTS.fieldNames()));
        kept.retainAll(available); // a messages column, where the input has one, tells the executors a row is chat
        kept.add(PartitionDecoder.INPUT_ERROR);
        for (String column : config.keepColumns().get()) {
            if (!available.contains(column)) {
                throw new IllegalArgumentException("output.keep_columns names \"" + column + "\", which input "
                        + config.inputPath() + " does not have; its columns are " + String.join(", ", available
                                .stream().filter(c -> !c.equals(PartitionDecoder.INPUT_ERROR)).toList()));
            }
            kept.add(column);
        }
        return prompts.select(kept.stream().map(Schemas::column).toArray(Column[]::new));
    }

    /**
     * Writes a chunk's rows as the published table holds them: Parquet in lambda=X folders, with lambda inside the
     * files too (Spark leaves a partition column out of the files, so the folders come from a string copy of it,
     * renamed before commit), or JSON Lines with every field in every line. Rows are grouped by lambda first, so a
     * chunk adds one file per lambda, or more where output.rows_per_file splits it.
     */
    void writeChunk(Dataset<Row> generations, String folder) {
        Dataset<Row> byLambda = generations.repartition(config.decode().lambdas().length, col(Schemas.LAMBDA));
        if (config.outputFormat().equals("json")) {
            byLambda.write().option("maxRecordsPerFile", config.rowsPerFile()).option("ignoreNullFields", false)
                    .json(folder);
            return;
        }
        byLambda.withColumn(LAMBDA_FOLDER, col(Schemas.LAMBDA).cast(DataTypes.StringType))
                .write().option("maxRecordsPerFile", config.rowsPerFile()).partitionBy(LAMBDA_FOLDER).parquet(folder);
        output.renamePartitionColumn(folder, LAMBDA_FOLDER, Schemas.LAMBDA);
    }

    /** The generations columns of the published files, read without partition discovery (lambda is in them). */
    Dataset<Row> read(SparkSession spark) {
        String files = config.outputFormat().equals("json") ? output.root()
                : output.root() + "/" + Schemas.LAMBDA + "=*";
        return spark.read().schema(Schemas.GENERATIONS).format(config.outputFormat()).load(files);
    }
}
