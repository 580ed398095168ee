package dev.dera.cli;

import dev.dera.lm.GreedyCompletion;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.TextTokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Greedy completion of one prompt with one model: the quickest check that a model folder works. */
@Command(name = "complete", mixinStandardHelpOptions = true,
        description = "Print the greedy completion (only the completion) of a prompt with one model.")
final class CompleteCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Hugging Face model folder")
    Path model;

    @Option(names = "--prompt", required = true, description = "prompt text")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        try (LanguageModel llm = LanguageModel.load(model, modelOptions.device(), modelOptions.computeType());
                TextTokenizer tokenizer = TextTokenizer.load(model, llm.config(), llm.generation())) {
            int[] promptIds = tokenizer.encode(prompt);
            GreedyCompletion completion = GreedyCompletion.run(llm, promptIds, maxNewTokens);
            System.out.println(tokenizer.decodeCompletion(promptIds, completion.completionIds()));
        }
        return 0;
    }
}
