package dev.dera.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scores a dera generate output folder with a built-in reward, per lambda. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score the completions of a dera generate output folder with a reward; prints rows, mean"
                + " reward, mean KL to the reference and mean completion length per lambda.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "output folder of dera generate")
    String input;

    @Option(names = "--reward", defaultValue = "sentiment", description = "reward name (default: ${DEFAULT-VALUE})")
    String reward;

    @Option(names = "--summary", description = "also write the table as JSON to this file")
    Path summary;

    @Override
    public Integer call() {
        SparkSession.Builder builder = SparkSession.builder().appName("dera evaluate")
                .config("spark.ui.enabled", "false");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        try (SparkSession spark = builder.getOrCreate()) {
            EvaluationReport.report(spark, input, reward, summary, System.out);
        }
        return 0;
    }
}
