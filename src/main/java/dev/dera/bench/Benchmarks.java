package dev.dera.bench;

import ai.djl.Device;
import dev.dera.decode.BatchLimits;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import dev.dera.realign.SamplingParams;
import dev.dera.spark.GenerateBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs every decoder benchmark and prints one Markdown table; {@code dera bench} calls it. */
public final class Benchmarks {
    private static final String MID_SIZE = "random mid-size Llama";
    private static final int STEP_ROWS = 32;
    private static final int FLOPS_ROWS = 64;
    private static final int CONTINUOUS_PROFILE_ROWS = 64;
    private static final int CONTINUOUS_PROMPTS = 200;
    /** Steps per profiled step figure, and prompts of the profiled decodes (a long trace is slow to read). */
    private static final int PROFILED_STEPS = 20;
    private static final int PROFILED_PROMPTS = 24;
    /** Issue #11's target for `dera generate` over the bare decoder (1,000 prompts x 48 new tokens). */
    private static final double GENERATE_OVER_DECODER = 1.3;
    /** The embedded pair that dera demo uses, beside the launcher ({@code dera.home}) or the working folder. */
    private static final Path EMBEDDED = Path.of(System.getProperty("dera.home", "."), "models", "embedded");
    private final Path referenceModel;
    private final Path alignedModel;
    private final boolean midSize;
    private final int runs;
    private final int generatePrompts;
    private final int generateMaxNewTokens;
    private final boolean operationsOnly;
    private final Device device;
    private final ProfileSection profiles;

    /**
     * @param midSize whether to measure the random mid-size pair too
     * @param generatePrompts prompts for the generate-versus-decoder figure, 0 to skip it
     * @param generateMaxNewTokens new tokens per row in that figure
     * @param operationsOnly report only the operation counts (no timings: they do not depend on the load)
     * @param device where the decoder figures are measured (dera generate's figure runs on local[2]'s CPU)
     * @param profile add the operation profiles behind the timing targets after the table
     */
    public Benchmarks(Path referenceModel, Path alignedModel, boolean midSize, int runs, int generatePrompts,
            int generateMaxNewTokens, boolean operationsOnly, Device device, boolean profile) {
        this.device = device;
        this.profiles = profile && !operationsOnly ? new ProfileSection() : null;
        this.referenceModel = referenceModel;
        this.alignedModel = alignedModel;
        this.midSize = midSize;
        this.runs = runs;
        this.generatePrompts = generatePrompts;
        this.generateMaxNewTokens = generateMaxNewTokens;
        this.operationsOnly = operationsOnly;
    }

    /** Prints the table as figures come in; returns whether every target was met. */
    public boolean run(PrintStream out) {
        out.println("Machine: " + MachineLoad.describe() + " at the start.");
        out.println();
        out.println("| model | measurement | value | target | met | detail |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        List<Measurement> all = new ArrayList<>();
        String real = referenceModel.getFileName() + " pair";
        try (BenchPair pair = BenchPair.load(referenceModel, alignedModel, device)) {
            report(out, all, StepOperations.measure(pair, real, STEP_ROWS));
            if (!operationsOnly) {
                DecoderBenchmark bench = new DecoderBenchmark(pair, real, 3, runs);
                reportDecoderFigures(out, all, bench);
                profileSteps(bench);
            }
        }
        if (!operationsOnly && Files.isDirectory(EMBEDDED)) {
            reportContinuousBatching(out, all);
        }
        if (!operationsOnly) {
            try (BenchPair pair = BenchModels.randomPair(BenchModels.tinyLongContext(2100), device)) {
                for (Measurement m : MemoryFlatness.measure(pair.pair(), "random tiny Llama, context 2100", 2000)) {
                    report(out, all, m);
                }
            }
        }
        if (midSize) {
            try (BenchPair pair = BenchModels.randomPair(BenchModels.midSize(1024), device)) {
                report(out, all, StepOperations.measure(pair, MID_SIZE, STEP_ROWS));
                if (!operationsOnly) {
                    DecoderBenchmark bench = new DecoderBenchmark(pair, MID_SIZE, 2, runs);
                    reportDecoderFigures(out, all, bench);
                    Measurement flops = bench.achievedFlops(FLOPS_ROWS);
                    report(out, all, flops);
                    profileSteps(bench);
                    if (profiles != null) {
                        profiles.addForward(bench.profileForward(FLOPS_ROWS, PROFILED_STEPS / 2), flops.value());
                    }
                }
            }
        }
        if (generatePrompts > 0 && !operationsOnly) {
            report(out, all, generateOverDecoder(real));
        }
        if (profiles != null) {
            profiles.print(out);
        }
        out.println();
        out.println("Machine: " + MachineLoad.loadAverage() + " at the end.");
        return all.stream().allMatch(Measurement::met);
    }

    /**
     * Continuous over static batching on the embedded pair with the demo's completion-length spread: with 64 active
     * rows and with the device's default.
     */
    private void reportContinuousBatching(PrintStream out, List<Measurement> all) {
        try (ModelPair pair = ModelPair.load(EMBEDDED.resolve("reference"), EMBEDDED.resolve("aligned"), device,
                ComputeType.FLOAT32)) {
            ContinuousBenchmark bench = new ContinuousBenchmark(pair, "embedded pair", CONTINUOUS_PROMPTS, 96);
            int timedRuns = Math.max(1, runs / 3);
            report(out, all, bench.continuousOverStatic(64, 1, timedRuns));
            report(out, all, bench.continuousOverStatic(BatchLimits.defaultActiveRows(device), 1, timedRuns));
            if (profiles != null) {
                OperationProfile[] decodes = new ContinuousBenchmark(pair, "embedded pair", PROFILED_PROMPTS, 96)
                        .profile(CONTINUOUS_PROFILE_ROWS);
                profiles.addDecodes(decodes[0], decodes[1]);
            }
        }
    }

    private void profileSteps(DecoderBenchmark bench) {
        if (profiles != null) {
            OperationProfile[] steps = bench.profileSteps(STEP_ROWS, PROFILED_STEPS);
            profiles.addSteps(steps[0], steps[1]);
        }
    }

    private Measurement generateOverDecoder(String label) {
        try {
            Path work = Files.createTempDirectory("dera-bench-generate");
            GenerateBenchmark result = GenerateBenchmark.run(referenceModel, alignedModel, generatePrompts,
                    generateMaxNewTokens, work);
            return Measurement.atMost(label, "dera generate on local[2] / bare decoder, " + result.prompts()
                    + " prompts, " + result.maxNewTokens() + " new tokens", result.jobSeconds() / result.bareSeconds(),
                    GENERATE_OVER_DECODER, String.format(Locale.ROOT,
                    "%.1f s vs %.1f s for %d rows (%s)", result.jobSeconds(), result.bareSeconds(), result.rows(),
                    result.jobPhases()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The DeRa/single step ratio with greedy decoding (the strict one) and with top-p sampling, batched lambdas over
     * sequential ones, the shared prefill and the step at a long context.
     */
    private static void reportDecoderFigures(PrintStream out, List<Measurement> all, DecoderBenchmark bench) {
        report(out, all, bench.deraStepOverSingleStep(STEP_ROWS, SamplingParams.greedy(), "greedy"));
        report(out, all, bench.deraStepOverSingleStep(STEP_ROWS, new SamplingParams(1.0, 0, 0.95, 0), "T=1 top-p 0.95"));
        report(out, all, bench.batchedLambdasOverSequential(32));
        report(out, all, bench.sharedPrefill(128));
        report(out, all, bench.stepAtLongContext(8));
    }

    private static void report(PrintStream out, List<Measurement> all, Measurement measurement) {
        out.println(measurement.markdownRow());
        out.flush();
        all.add(measurement);
    }
}
