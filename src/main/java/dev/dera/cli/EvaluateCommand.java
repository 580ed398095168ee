package dev.dera.cli;

import com.google.gson.GsonBuilder;
import dev.dera.eval.Bootstrap;
import dev.dera.eval.LambdaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The per-lambda table of dera report, printed only: kept for scripts written before dera report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Print the per-lambda table of dera report (rows, mean reward and mean KL to the reference with"
                + " 95% bootstrap intervals over prompts, mean completion length) without writing the picture and"
                + " page; dera report does everything this command does and more.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "output folder of dera generate")
    String input;

    @ArgGroup(exclusive = true)
    RewardOptions reward = new RewardOptions();

    @Option(names = "--summary", description = "also write the table as a JSON list to this file")
    Path summary;

    @Override
    public Integer call() {
        try (SparkSession spark = ReportSession.open("dera evaluate")) {
            List<LambdaTable.LambdaRow> table =
                    LambdaTable.summarize(reward.score(spark, input), Optional.of(Bootstrap.standard(0)));
            System.out.print(LambdaTable.format(table));
            if (summary != null) {
                writeJson(table, summary);
                System.out.println("summary: " + summary);
            }
        }
        return 0;
    }

    private static void writeJson(List<LambdaTable.LambdaRow> table, Path file) {
        try {
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                    .toJson(LambdaTable.toJson(table)) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
