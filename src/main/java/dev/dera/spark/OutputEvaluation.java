package dev.dera.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import com.google.gson.JsonObject;
import dev.dera.train.RealignmentSummary;
import dev.dera.train.RealignmentSummary.LambdaRow;
import dev.dera.train.Reward;
import dev.dera.train.ScoredCompletion;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Scores the completions of a finished dera generate output with a reward: the per-lambda evaluation table. */
public final class OutputEvaluation {
    private OutputEvaluation() {}

    /**
     * Reads the output (Parquet or JSON Lines, as its manifest says) and summarizes it per lambda; error rows are
     * left out.
     */
    public static List<LambdaRow> evaluate(SparkSession spark, String outputDir, Reward reward) {
        OutputFolder folder = new OutputFolder(outputDir, spark.sparkContext().hadoopConfiguration());
        JsonObject manifest = RunManifest.parse(folder.readManifest().orElseThrow(() -> new IllegalArgumentException(
                outputDir + " has no " + OutputFolder.MANIFEST + "; is it the output folder of dera generate?")));
        if (!RunManifest.isComplete(manifest)) {
            throw new IllegalArgumentException(outputDir + " holds an unfinished run; complete it with dera generate"
                    + " --resume first");
        }
        String format = manifest.getAsJsonObject("config").get("output.format").getAsString();
        List<Row> rows = spark.read().schema(Schemas.GENERATIONS).format(format).load(outputDir)
                .where(col("finish_reason").notEqual(GenerationRows.ERROR))
                .select(col(Schemas.LAMBDA), col("completion_text"), col("kl_to_ref"), size(col("completion_ids")))
                .collectAsList();
        List<ScoredCompletion> completions = new ArrayList<>(rows.size());
        for (Row row : rows) {
            completions.add(new ScoredCompletion(row.getDouble(0), row.getString(1), row.getDouble(2), row.getInt(3)));
        }
        return RealignmentSummary.summarize(completions, reward);
    }
}
