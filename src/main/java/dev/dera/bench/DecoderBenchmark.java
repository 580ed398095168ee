package dev.dera.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dera.decode.DecodeListener;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.DeraStep;
import dev.dera.decode.PairLogits;
import dev.dera.decode.StopConditions;
import dev.dera.lm.ModelConfig;
import dev.dera.realign.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/** The decoder's performance targets, each measured in one run on one model pair. */
final class DecoderBenchmark {
    private static final int FLOPS_PROMPT_LENGTH = 64;
    private final BenchPair models;
    private final String label;
    private final int warmups;
    private final int runs;

    DecoderBenchmark(BenchPair models, String label, int warmups, int runs) {
        this.models = models;
        this.label = label;
        this.warmups = warmups;
        this.runs = runs;
    }

    /**
     * DeRa step (the pair's forward step, one pass when stacked, then mix, draw, score) over a single-model step
     * with the same sampling and batch.
     */
    Measurement deraStepOverSingleStep(int rows, SamplingParams sampling, String samplingName) {
        int steps = 2 * (warmups + runs);
        try (StepHarness single = new StepHarness(models.single(), rows, 16, steps);
                StepHarness pair = new StepHarness(models.pair(), rows, 16, steps)) {
            List<SamplingParams> params = Collections.nCopies(rows, sampling);
            double[] uniforms = new SplittableRandom(3).doubles(rows).toArray();
            double[] seconds = timeInScopes(scope -> deraStep(scope, pair, params, uniforms),
                    scope -> single.sampledStep(scope, params, uniforms));
            double deraSeconds = seconds[0];
            double singleSeconds = seconds[1];
            return Measurement.atMost(label, "DeRa step / single-model step, batch " + rows + ", " + samplingName,
                    deraSeconds / singleSeconds, 1.3, ms(deraSeconds) + " vs " + ms(singleSeconds));
        }
    }

    /** Tokens/s of 4 lambdas x 8 prompts in one batch over the 4 lambdas decoded one after another. */
    Measurement batchedLambdasOverSequential(int maxNewTokens) {
        double[] lambdas = {0, 0.5, 1, 2};
        List<int[]> prompts = randomPrompts(8, 12);
        double together = tokensPerSecond(() -> decodeAll(requests(prompts, lambdas, 1, maxNewTokens)));
        double oneByOne = tokensPerSecond(() -> {
            int tokens = 0;
            for (double lambda : lambdas) {
                tokens += decodeAll(requests(prompts, new double[] {lambda}, 1, maxNewTokens));
            }
            return tokens;
        });
        return Measurement.atLeast(label, "tokens/s: 4 lambdas x 8 prompts batched / sequential",
                together / oneByOne, 2.0, String.format(Locale.ROOT, "%.0f vs %.0f tokens/s", together, oneByOne));
    }

    /** Prefill (and first token) of 8 prompts fanned out to 8 rows each, over 1 row each. */
    Measurement sharedPrefill(int promptLength) {
        List<int[]> prompts = randomPrompts(8, promptLength);
        double[] seconds = Timing.medianSeconds(warmups, runs,
                () -> decodeAll(requests(prompts, new double[] {0.5}, 8, 1)),
                () -> decodeAll(requests(prompts, new double[] {0.5}, 1, 1)));
        double eightRows = seconds[0];
        double oneRow = seconds[1];
        return Measurement.atMost(label, "prefill 8 rows per prompt / 1 row per prompt (" + promptLength + " tokens)",
                eightRows / oneRow, 1.2, ms(eightRows) + " vs " + ms(oneRow));
    }

    /** Single-model step time with 480 cached positions over 16. */
    Measurement stepAtLongContext(int rows) {
        int steps = 2 * (warmups + runs);
        List<SamplingParams> greedy = Collections.nCopies(rows, SamplingParams.greedy());
        double[] uniforms = new double[rows];
        double at16;
        double at480;
        try (StepHarness shortContext = new StepHarness(models.single(), rows, 16, steps);
                StepHarness longContext = new StepHarness(models.single(), rows, 480, steps)) {
            double[] seconds = timeInScopes(scope -> longContext.sampledStep(scope, greedy, uniforms),
                    scope -> shortContext.sampledStep(scope, greedy, uniforms));
            at480 = seconds[0];
            at16 = seconds[1];
        }
        return Measurement.atMost(label, "step at position 480 / at 16, batch " + rows, at480 / at16, 1.5,
                ms(at480) + " vs " + ms(at16));
    }

    /**
     * FLOP/s of the pair's forward step (both models) at {@code rows} rows over a large plain matmul's, timed in
     * alternation; the detail adds the whole DeRa step's rate (with the mix, draw and scores).
     */
    Measurement achievedFlops(int rows) {
        int promptLength = FLOPS_PROMPT_LENGTH;
        int steps = 3 * (warmups + runs);
        int n = 2048;
        double[] seconds;
        double deraSeconds;
        try (StepHarness pair = new StepHarness(models.pair(), rows, promptLength, steps);
                NDManager manager = models.pair().manager().newSubManager()) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            seconds = timeInScopes(pair::pairStep, scope -> a.matMul(b).close());
            List<SamplingParams> params = Collections.nCopies(rows, SamplingParams.greedy());
            deraSeconds = timeInScope(scope -> deraStep(scope, pair, params, new double[rows]));
        }
        double stepFlops = 2 * rows * flopsPerToken(models.pair().config(), promptLength + steps / 2);
        double forwardRate = stepFlops / seconds[0];
        double matmulRate = 2.0 * n * n * n / seconds[1];
        return Measurement.atLeast(label, "forward-pass FLOP/s / plain matmul FLOP/s, batch " + rows,
                forwardRate / matmulRate, 0.6, String.format(Locale.ROOT,
                        "%.1f vs %.1f GFLOP/s; whole DeRa step %.1f GFLOP/s", forwardRate / 1e9, matmulRate / 1e9,
                        stepFlops / deraSeconds / 1e9));
    }

    /**
     * Operation profiles of {@code steps} single-model steps and {@code steps} DeRa steps, greedy, as
     * {@link #deraStepOverSingleStep} times them: [single, DeRa].
     */
    OperationProfile[] profileSteps(int rows, int steps) {
        List<SamplingParams> greedy = Collections.nCopies(rows, SamplingParams.greedy());
        double[] uniforms = new double[rows];
        try (StepHarness single = new StepHarness(models.single(), rows, 16, steps + 1);
                StepHarness pair = new StepHarness(models.pair(), rows, 16, steps + 1);
                NDManager manager = models.pair().manager().newSubManager()) {
            inScope(manager, scope -> single.sampledStep(scope, greedy, uniforms));
            inScope(manager, scope -> deraStep(scope, pair, greedy, uniforms));
            String batch = ", batch " + rows + ", greedy";
            return new OperationProfile[] {
                OperationProfile.measure(label, "single-model step" + batch,
                        () -> repeat(steps, manager, scope -> single.sampledStep(scope, greedy, uniforms))),
                OperationProfile.measure(label, "DeRa step" + batch,
                        () -> repeat(steps, manager, scope -> deraStep(scope, pair, greedy, uniforms)))};
        }
    }

    /** The operation profile of {@code steps} forward steps of the pair at {@code rows} rows after a 64-token prompt. */
    OperationProfile profileForward(int rows, int steps) {
        try (StepHarness pair = new StepHarness(models.pair(), rows, FLOPS_PROMPT_LENGTH, steps + 1);
                NDManager manager = models.pair().manager().newSubManager()) {
            inScope(manager, pair::pairStep);
            return OperationProfile.measure(label, "pair forward step, batch " + rows,
                    () -> repeat(steps, manager, pair::pairStep));
        }
    }

    private static int repeat(int steps, NDManager manager, Consumer<NDManager> step) {
        for (int i = 0; i < steps; i++) {
            inScope(manager, step);
        }
        return steps;
    }

    /** The pair's step for every row at lambda 0.5, then the mix, draw and scores. */
    private static void deraStep(NDManager scope, StepHarness pair, List<SamplingParams> params, double[] uniforms) {
        float[] lambdas = new float[params.size()];
        Arrays.fill(lambdas, 0.5f);
        PairLogits logits = pair.pairStep(scope);
        DeraStep.sampleAndScore(logits, lambdas, params, uniforms);
    }

    /** Forward FLOPs of one token at {@code position}: projections, MLP, attention over the cache, LM head. */
    static double flopsPerToken(ModelConfig c, int position) {
        double hidden = c.hiddenSize();
        double query = (double) c.numHeads() * c.headDim();
        double kv = (double) c.numKvHeads() * c.headDim();
        double perLayer = 2 * hidden * (query + 2 * kv) + 2 * query * hidden + 6 * hidden * c.intermediateSize()
                + 4 * query * position;
        return c.numLayers() * perLayer + 2 * hidden * c.vocabSize();
    }

    private double timeInScope(Consumer<NDManager> step) {
        return timeInScopes(step, scope -> { })[0];
    }

    /** Times two steps in alternation, each in its own NDManager scope. */
    private double[] timeInScopes(Consumer<NDManager> a, Consumer<NDManager> b) {
        try (NDManager manager = models.pair().manager().newSubManager()) {
            return Timing.medianSeconds(warmups, runs, () -> inScope(manager, a), () -> inScope(manager, b));
        }
    }

    private static void inScope(NDManager manager, Consumer<NDManager> step) {
        try (NDManager scope = manager.newSubManager()) {
            step.accept(scope);
        }
    }

    private double tokensPerSecond(IntSupplier decode) {
        int[] tokens = new int[1];
        double seconds = Timing.medianSeconds(warmups > 0 ? 1 : 0, Math.max(1, runs / 4),
                () -> tokens[0] = decode.getAsInt());
        return tokens[0] / seconds;
    }

    private int decodeAll(List<DecodeRequest> requests) {
        int tokens = 0;
        for (DecodeResult result : new DeraDecoder(models.pair()).decode(requests, DecodeListener.NONE)) {
            tokens += result.completionIds().length;
        }
        return tokens;
    }

    private List<DecodeRequest> requests(List<int[]> prompts, double[] lambdas, int samples, int maxNewTokens) {
        List<DecodeRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            requests.add(new DecodeRequest("bench-" + i, prompts.get(i), new DecodeSettings(lambdas, samples, 0L,
                    SamplingParams.greedy(), StopConditions.maxNewTokens(maxNewTokens))));
        }
        return requests;
    }

    private List<int[]> randomPrompts(int count, int length) {
        SplittableRandom random = new SplittableRandom(count * 1000L + length);
        int vocab = models.pair().config().vocabSize();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(random.ints(length, 3, vocab).toArray());
        }
        return prompts;
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
    }
}
