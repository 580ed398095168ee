package dev.dera.bench;

import ai.djl.Device;
import dev.dera.decode.ModelPair;
import dev.dera.lm.ComputeType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs every decoder benchmark and prints one Markdown table; {@code dera bench} calls it. */
public final class Benchmarks {
    private final Path referenceModel;
    private final Path alignedModel;
    private final boolean midSize;
    private final int runs;

    public Benchmarks(Path referenceModel, Path alignedModel, boolean midSize, int runs) {
        this.referenceModel = referenceModel;
        this.alignedModel = alignedModel;
        this.midSize = midSize;
        this.runs = runs;
    }

    /** Prints the table as figures come in; returns whether every target was met. */
    public boolean run(PrintStream out) {
        out.println("| model | measurement | value | target | met | detail |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        List<Measurement> all = new ArrayList<>();
        String real = referenceModel.getFileName() + " pair";
        try (ModelPair pair = ModelPair.load(referenceModel, alignedModel, Device.cpu(), ComputeType.FLOAT32)) {
            DecoderBenchmark bench = new DecoderBenchmark(pair, real, 3, runs);
            report(out, all, bench.deraStepOverSingleStep(32));
            report(out, all, bench.batchedLambdasOverSequential(32));
            report(out, all, bench.sharedPrefill(128));
            report(out, all, bench.stepAtLongContext(8));
        }
        if (midSize) {
            try (ModelPair pair = BenchModels.randomPair(BenchModels.midSize(1024))) {
                DecoderBenchmark bench = new DecoderBenchmark(pair, "random mid-size Llama", 2, runs);
                report(out, all, bench.deraStepOverSingleStep(32));
                report(out, all, bench.batchedLambdasOverSequential(32));
                report(out, all, bench.sharedPrefill(128));
                report(out, all, bench.stepAtLongContext(8));
                report(out, all, bench.achievedFlops(64));
            }
        }
        try (ModelPair pair = BenchModels.randomPair(BenchModels.tinyLongContext(2100))) {
            for (Measurement m : MemoryFlatness.measure(pair, "random tiny Llama, context 2100", 2000)) {
                report(out, all, m);
            }
        }
        return all.stream().allMatch(Measurement::met);
    }

    private static void report(PrintStream out, List<Measurement> all, Measurement measurement) {
        out.println(measurement.markdownRow());
        out.flush();
        all.add(measurement);
    }
}
