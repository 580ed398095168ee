package dev.dera.cli;

import dev.dera.bench.Benchmarks;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures the decoder against its performance targets and prints a Markdown table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the DeRa decoder on a real model pair and a random mid-size Llama pair (--device: CPU or a GPU).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--ref-model", defaultValue = "../shared/models/stories260K",
            description = "reference model folder (default: ${DEFAULT-VALUE})")
    Path referenceModel;

    @Option(names = "--aligned-model", defaultValue = "../shared/models/stories260K-perturbed",
            description = "aligned model folder (default: ${DEFAULT-VALUE})")
    Path alignedModel;

    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu, or gpu:N for the decoder figures (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--skip-mid-size", description = "skip the random hidden-512, 8-layer, 32k-vocab Llama pair")
    boolean skipMidSize;

    @Option(names = "--runs", defaultValue = "9", description = "timed runs per figure (median; default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--generate-prompts", defaultValue = "1000",
            description = "prompts for dera generate versus the bare decoder, 0 to skip (default: ${DEFAULT-VALUE})")
    int generatePrompts;

    @Option(names = "--generate-max-new-tokens", defaultValue = "128",
            description = "new tokens per row in that figure (default: ${DEFAULT-VALUE})")
    int generateMaxNewTokens;

    @Option(names = "--operations-only",
            description = "report only the native operations per DeRa step (counts, no timings)")
    boolean operationsOnly;

    @Option(names = "--profile", description = "after the table, break the steps and decodes behind the timing "
            + "targets down by kind of native operation (PyTorch's profiler), with the bounds they imply")
    boolean profile;

    @Override
    public Integer call() {
        return new Benchmarks(referenceModel, alignedModel, !skipMidSize, runs, generatePrompts, generateMaxNewTokens,
                operationsOnly, Devices.parse(device), profile).run(System.out) ? 0 : 1;
    }
}
