package dev.dera.bench;

import ai.djl.ndarray.NDManager;
import dev.dera.decode.DeraStep;
import dev.dera.decode.PairLogits;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.ModelConfig;
import dev.dera.realign.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Native operations ({@link NativeOperations}) of one greedy DeRa decode step on a model pair: the pair's forward
 * step (one pass over both models when they are stacked), then the mix, draw and scores. The per-layer figure is
 * the difference between random copies of the reference config with two layers and with one, loaded as the pair
 * is (stacked or alone), so it needs no hook inside the model.
 */
final class StepOperations {
    private static final int PROMPT_LENGTH = 16;
    /** Slots beyond the steps taken: a step into a full cache skips the slices of its views and counts fewer. */
    private static final int STEPS = 8;

    private StepOperations() {}

    /** One row: the DeRa step's count, with its parts in the detail. */
    static Measurement measure(BenchPair models, String label, int rows) {
        float[] lambdas = new float[rows];
        Arrays.fill(lambdas, 0.5f);
        List<SamplingParams> greedy = Collections.nCopies(rows, SamplingParams.greedy());
        double[] uniforms = new double[rows];
        int deraStep;
        int pairStep;
        try (StepHarness pair = new StepHarness(models.pair(), rows, PROMPT_LENGTH, STEPS);
                NDManager manager = models.pair().manager().newSubManager()) {
            pairStep = countInScope(manager, pair::pairStep);
            deraStep = countInScope(manager, scope -> {
                PairLogits logits = pair.pairStep(scope);
                DeraStep.sampleAndScore(logits, lambdas, greedy, uniforms);
            });
        }
        ModelConfig config = models.pair().config();
        int modelsPerPass = models.pair().stacked() ? 2 : 1;
        int perLayer = perLayer(config, modelsPerPass, rows);
        int layers = modelsPerPass == 2 ? config.numLayers() : 2 * config.numLayers();
        String detail = String.format(Locale.ROOT,
                "%s step %d (%d layers x %d + %d outside them), mix/draw/score %d; single-model step %d",
                modelsPerPass == 2 ? "one-pass pair" : "two-pass pair", pairStep, layers, perLayer,
                pairStep - layers * perLayer, deraStep - pairStep, forwardStep(models.single(), rows));
        return Measurement.count(label, "native operations per DeRa step, batch " + rows + ", greedy", deraStep,
                detail);
    }

    /** Operations of one decode step of {@code model} for {@code rows} prefilled rows (after one uncounted step). */
    static int forwardStep(LanguageModel model, int rows) {
        try (StepHarness harness = new StepHarness(model, rows, PROMPT_LENGTH, STEPS);
                NDManager manager = model.manager().newSubManager()) {
            return countInScope(manager, harness::step);
        }
    }

    /** Operations of one decoder layer of {@code config}'s models, {@code models} of them stacked, in a decode step. */
    static int perLayer(ModelConfig config, int models, int rows) {
        try (LanguageModel one = BenchModels.randomModel(withLayers(config, 1), models);
                LanguageModel two = BenchModels.randomModel(withLayers(config, 2), models)) {
            return forwardStep(two, rows) - forwardStep(one, rows);
        }
    }

    /** {@code config} cut or extended to {@code layers} layers (the window pattern repeats). */
    static ModelConfig withLayers(ModelConfig c, int layers) {
        List<Boolean> sliding = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            sliding.add(c.slidingLayers().get(i % c.numLayers()));
        }
        return new ModelConfig(c.architecture(), c.hiddenSize(), c.intermediateSize(), layers, c.numHeads(),
                c.numKvHeads(), c.headDim(), c.vocabSize(), c.maxPositions(), c.normEps(), c.rope(),
                c.tieWordEmbeddings(), c.attentionBias(), c.mlpBias(), c.slidingWindow(), sliding,
                c.queryPreAttnScalar(), c.attentionSoftCap(), c.finalSoftCap());
    }

    /** Runs one uncounted step (first-call work stays out of the count), then counts the next, each in a scope. */
    private static int countInScope(NDManager manager, Consumer<NDManager> step) {
        try (NDManager warmUp = manager.newSubManager()) {
            step.accept(warmUp);
        }
        try (NDManager scope = manager.newSubManager()) {
            return NativeOperations.count(() -> step.accept(scope));
        }
    }
}
