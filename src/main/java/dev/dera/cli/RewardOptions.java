package dev.dera.cli;

import dev.dera.eval.PromptGroup;
import dev.dera.eval.RewardScorer;
import dev.dera.spark.OutputEvaluation;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where the rewards come from: one of a built-in reward, a reward model folder or a column of the output. */
final class RewardOptions {
    static final String DEFAULT_REWARD = "sentiment";

    @Option(names = "--reward", description = "built-in reward of the completion text: sentiment (the default)")
    String name;

    @Option(names = "--reward-model", paramLabel = "DIR",
            description = "Hugging Face sequence-classification reward model folder (Llama, Mistral or Qwen2"
                    + " ForSequenceClassification, one label) that scores prompt + completion")
    String model;

    @Option(names = "--reward-column", paramLabel = "NAME",
            description = "numeric column of the output that holds each row's reward (joined by you)")
    String column;

    /** Scores {@code input} on the executors and sums per (lambda, prompt). */
    List<PromptGroup> score(SparkSession spark, String input) {
        if (column != null) {
            return OutputEvaluation.columnByPrompt(spark, input, column);
        }
        return OutputEvaluation.scoreByPrompt(spark, input, scorer());
    }

    /** What the rewards are, for the report. */
    String description() {
        if (column != null) {
            return "column " + column;
        }
        return model != null ? "reward model " + model : scorer().description();
    }

    private RewardScorer scorer() {
        if (model != null) {
            return RewardScorer.model(model);
        }
        return RewardScorer.named(name == null ? DEFAULT_REWARD : name);
    }
}
