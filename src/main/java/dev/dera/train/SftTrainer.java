package dev.dera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.GenerationConfig;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.NativeScalar;
import java.io.PrintStream;
import java.util.List;

/**
 * Supervised fine-tuning (here: pre-training from scratch) of a language model: next-token cross-entropy on the
 * scored tokens of each sequence, averaged over the batch's scored tokens (padding never counts), with Adam.
 */
public final class SftTrainer {

    /**
     * How to train.
     *
     * @param seed seeds the batch order
     */
    public record Settings(int steps, int batchSize, double learningRate, long seed) {

        public Settings {
            if (steps < 0 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("need steps >= 0, batch size >= 1 and a positive learning rate");
            }
        }
    }

    private static final double MAX_GRADIENT_NORM = 1.0;

    private SftTrainer() {
    }

    /** Trains {@code weights} in place on {@code sequences} and returns what the phase did. */
    public static ProgressLog.PhaseResult train(TrainableWeights weights, GenerationConfig generation,
            List<ScoredSequence> sequences, Settings settings, PrintStream progress) {
        AdamOptimizer optimizer =
                new AdamOptimizer(weights, settings.learningRate(), settings.steps(), MAX_GRADIENT_NORM);
        GradientStep gradientStep = new GradientStep(weights, generation, optimizer);
        BatchOrder order = new BatchOrder(sequences.size(), settings.batchSize(), settings.seed());
        ProgressLog log = new ProgressLog("sft", settings.steps(), progress);
        try (SingleThreaded threads = new SingleThreaded()) {
            for (int step = 0; step < settings.steps(); step++) {
                List<ScoredSequence> batch = order.nextBatch(sequences);
                float loss = gradientStep.run((model, manager) -> loss(model, batch, manager));
                log.step(loss, batch.stream().mapToInt(s -> s.ids().length).sum());
            }
        }
        return log.result();
    }

    /** Mean negative log-likelihood over the scored tokens of {@code batch}. */
    static NDArray loss(LanguageModel model, List<ScoredSequence> batch, NDManager manager) {
        int scoredTokens = batch.stream().mapToInt(ScoredSequence::scoredTokens).sum();
        NDArray negativeLogLikelihood = SequenceScorer.tokenLogProbs(model, batch, manager).sum().neg();
        return negativeLogLikelihood.div(NativeScalar.like(negativeLogLikelihood, scoredTokens));
    }
}
