package dev.dera.cli;

import dev.dera.eval.Bootstrap;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The realignment report of a dera generate output: summary.json, the frontier picture and report.html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Score a dera generate output (Parquet or JSON Lines) with a reward as a Spark stage and write"
                + " OUT/summary.json (per lambda: rows, error rows, mean reward and mean KL to the reference with 95%"
                + " bootstrap intervals over prompts, mean completion tokens; the lambda recommended under the KL"
                + " budget and why), OUT/frontier.png (reward vs KL) and OUT/report.html (all on one page).")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "output folder of dera generate")
    String input;

    @Option(names = "--out", required = true, description = "folder for summary.json, frontier.png, report.html")
    Path out;

    @ArgGroup(exclusive = true)
    RewardOptions reward = new RewardOptions();

    @Option(names = "--kl-budget", paramLabel = "NATS",
            description = "largest acceptable mean KL to the reference per completion; without it, the highest"
                    + " reward wins")
    Double klBudget;

    @Option(names = "--seed", defaultValue = "0", description = "bootstrap seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--resamples", defaultValue = "1000",
            description = "bootstrap resamples of the prompts (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--retrained", paramLabel = "BETA=DIR,...",
            description = "models aligned at other betas (dera train --reference): each is decoded at lambda 1"
                    + " against the same reference, prompts, sampling and seed, and placed on the same table and"
                    + " frontier (DeRa at lambda approximates retraining at beta_aligned / lambda)")
    String retrained;

    @Override
    public Integer call() {
        Map<Double, Path> retrainedModels = retrained == null ? Map.of() : RetrainedModels.parse(retrained);
        if (klBudget != null && !(klBudget >= 0)) {
            throw new IllegalArgumentException("--kl-budget must be a number of nats >= 0, got " + klBudget);
        }
        Bootstrap bootstrap = new Bootstrap(resamples, 0.95, seed);
        try (SparkSession spark = ReportSession.open("dera report")) {
            EvaluationReport.report(spark, input, reward, bootstrap, Optional.ofNullable(klBudget), retrainedModels,
                    out, System.out);
        }
        return 0;
    }
}
