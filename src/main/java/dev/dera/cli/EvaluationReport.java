package dev.dera.cli;

import dev.dera.eval.Bootstrap;
import dev.dera.eval.LambdaTable;
import dev.dera.eval.RealignmentReport;
import dev.dera.eval.Recommendation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Scores an output folder per lambda with bootstrap intervals, prints the table and writes the report files. */
final class EvaluationReport {
    private EvaluationReport() {}

    /** Writes summary.json, frontier.png and report.html into {@code outDir} and prints where they are. */
    static RealignmentReport report(SparkSession spark, String input, RewardOptions reward, Bootstrap bootstrap,
            Optional<Double> klBudget, Path outDir, PrintStream out) {
        List<LambdaTable.LambdaRow> table =
                LambdaTable.summarize(reward.score(spark, input), Optional.of(bootstrap));
        RealignmentReport report =
                new RealignmentReport(input, reward.description(), bootstrap, klBudget, table, List.of());
        out.print(LambdaTable.format(table));
        report.write(outDir);
        Recommendation recommendation = report.recommendation();
        out.println(recommendation.lambda().isPresent()
                ? "recommended lambda: " + LambdaTable.trim(recommendation.lambda().getAsDouble()) : "no recommendation");
        out.println("  " + recommendation.reason());
        out.println("report: " + outDir.resolve(RealignmentReport.PAGE) + "  (also " + RealignmentReport.SUMMARY + ", "
                + RealignmentReport.FRONTIER + ")");
        return report;
    }
}
