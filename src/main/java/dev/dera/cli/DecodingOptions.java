package dev.dera.cli;

import dev.dera.decode.StopConditions;
import dev.dera.realign.SamplingParams;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Realignment strengths, sampling and stopping: the options of every command that decodes. */
final class DecodingOptions {
    @Option(names = "--lambdas", split = ",", defaultValue = "0,0.5,1,2",
            description = "realignment strengths, comma-separated (default: ${DEFAULT-VALUE})")
    List<Double> lambdas;

    @Option(names = "--samples", defaultValue = "1", description = "samples per lambda (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--min-p", defaultValue = "0", description = "0 = off (default: ${DEFAULT-VALUE})")
    double minP;

    @Option(names = "--seed", defaultValue = "0", description = "run seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--stop", description = "stop string (repeatable); cut from the completion")
    List<String> stopStrings = List.of();

    @Option(names = "--chat-template", description = "Jinja chat template file for conversations (--messages, a"
            + " messages column), instead of the model folder's chat_template")
    Path chatTemplate;

    double[] lambdas() {
        return lambdas.stream().mapToDouble(Double::doubleValue).toArray();
    }

    SamplingParams sampling() {
        return new SamplingParams(temperature, topK, topP, minP);
    }

    StopConditions stop() {
        return new StopConditions(maxNewTokens, Set.of(), stopStrings);
    }
}
