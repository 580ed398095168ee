package dev.dera.cli;

import dev.dera.spark.OutputEvaluation;
import dev.dera.train.RealignmentSummary;
import dev.dera.train.RealignmentSummary.LambdaRow;
import dev.dera.train.Rewards;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Scores an output folder, prints the per-lambda table and optionally writes it as summary.json. */
final class EvaluationReport {
    private EvaluationReport() {}

    static List<LambdaRow> report(SparkSession spark, String outputDir, String reward, Path summaryFile,
            PrintStream out) {
        List<LambdaRow> table = OutputEvaluation.evaluate(spark, outputDir, Rewards.byName(reward));
        out.print(RealignmentSummary.format(table));
        if (summaryFile != null) {
            RealignmentSummary.writeJson(table, summaryFile);
            out.println("summary: " + summaryFile);
        }
        return table;
    }
}
