package dev.dera.cli;

import dev.dera.eval.Bootstrap;
import dev.dera.eval.LambdaTable;
import dev.dera.eval.RealignmentReport;
import dev.dera.eval.RealignmentReport.Retrained;
import dev.dera.eval.Recommendation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** Scores an output folder per lambda with bootstrap intervals, prints the table and writes the report files. */
final class EvaluationReport {
    private EvaluationReport() {}

    /** Writes summary.json, frontier.png and report.html into {@code outDir} and prints where they are. */
    static RealignmentReport report(SparkSession spark, String input, RewardOptions reward, Bootstrap bootstrap,
            Optional<Double> klBudget, Map<Double, Path> retrainedModels, Path outDir, PrintStream out) {
        List<LambdaTable.LambdaRow> table =
                LambdaTable.summarize(reward.score(spark, input), Optional.of(bootstrap));
        List<Retrained> retrained =
                RetrainedModels.decodeAndScore(spark, input, retrainedModels, reward, bootstrap, outDir);
        RealignmentReport report =
                new RealignmentReport(input, reward.description(), bootstrap, klBudget, table, retrained);
        out.print(LambdaTable.format(table));
        if (!retrained.isEmpty()) {
            out.println("retrained models, decoded at lambda 1 (lambda column: beta):");
            out.print(LambdaTable.format(retrained.stream().map(r -> keyedByBeta(r)).toList()));
        }
        report.write(outDir);
        Recommendation recommendation = report.recommendation();
        out.println(recommendation.lambda().isPresent()
                ? "recommended lambda: " + LambdaTable.trim(recommendation.lambda().getAsDouble())
                : "no recommendation");
        out.println("  " + recommendation.reason());
        out.println("report: " + outDir.resolve(RealignmentReport.PAGE) + "  (also " + RealignmentReport.SUMMARY + ", "
                + RealignmentReport.FRONTIER + ")");
        return report;
    }

    /** A retrained model's row (decoded at lambda 1) with its beta in the key column, for printing. */
    private static LambdaTable.LambdaRow keyedByBeta(Retrained model) {
        LambdaTable.LambdaRow row = model.row();
        return new LambdaTable.LambdaRow(model.beta(), row.rows(), row.errorRows(), row.tokens(), row.meanReward(),
                row.rewardInterval(), row.meanKlToRef(), row.klInterval(), row.meanCompletionTokens());
    }
}
