package dev.dera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.ndarray.NDManager;
import dev.dera.lm.LanguageModel;
import dev.dera.lm.NativeScalar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct preference optimization (Rafailov et al., 2023) against a frozen reference:
 * {@code loss = -log sigmoid(beta * ((log pi(chosen) - log ref(chosen)) - (log pi(rejected) - log ref(rejected))))},
 * log-probabilities summed over completion tokens only, averaged over the batch's pairs. The policy starts as a
 * copy of the reference; the reference's log-probabilities are computed once, before training.
 */
public final class DpoTrainer {

    /**
     * How to train.
     *
     * @param beta the KL strength: smaller lets the policy move further from the reference
     * @param seed seeds the batch order
     */
    public record Settings(int steps, int batchSize, double beta, double learningRate, long seed) {

        public Settings {
            if (steps < 0 || batchSize < 1 || !(beta > 0) || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "need steps >= 0, batch size >= 1, a positive beta and a positive learning rate");
            }
        }
    }

    private static final double MAX_GRADIENT_NORM = 1.0;
    private static final int SCORING_BATCH = 64;

    private DpoTrainer() {
    }

    /** Trains {@code policy} in place and returns what the phase did. */
    public static ProgressLog.PhaseResult train(TrainableWeights policy, LanguageModel reference,
            List<PreferencePair> pairs, Settings settings, PrintStream progress) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("DPO needs at least one preference pair");
        }
        try (SingleThreaded threads = new SingleThreaded()) {
            return trainSingleThreaded(policy, reference, pairs, settings, progress);
        }
    }

    private static ProgressLog.PhaseResult trainSingleThreaded(TrainableWeights policy, LanguageModel reference,
            List<PreferencePair> pairs, Settings settings, PrintStream progress) {
        float[] referenceChosen = referenceLogProbs(reference, pairs.stream().map(PreferencePair::chosen).toList());
        float[] referenceRejected =
                referenceLogProbs(reference, pairs.stream().map(PreferencePair::rejected).toList());
        AdamOptimizer optimizer =
                new AdamOptimizer(policy, settings.learningRate(), settings.steps(), MAX_GRADIENT_NORM);
        GradientStep gradientStep = new GradientStep(policy, reference.generation(), optimizer);
        BatchOrder order = new BatchOrder(pairs.size(), settings.batchSize(), settings.seed());
        ProgressLog log = new ProgressLog("dpo", settings.steps(), progress);
        for (int step = 0; step < settings.steps(); step++) {
            List<Integer> batch = order.nextBatch();
            List<ScoredSequence> sequences = new ArrayList<>();
            float[] referenceMargins = new float[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                int pair = batch.get(i);
                sequences.add(pairs.get(pair).chosen());
                referenceMargins[i] = referenceChosen[pair] - referenceRejected[pair];
            }
            batch.forEach(pair -> sequences.add(pairs.get(pair).rejected()));
            float loss = gradientStep.run(
                    (model, manager) -> loss(model, sequences, referenceMargins, settings.beta(), manager));
            log.step(loss, sequences.stream().mapToInt(s -> s.ids().length).sum());
        }
        return log.result();
    }

    /** The DPO loss of a batch whose first half holds the chosen and second half the rejected sequences. */
    static NDArray loss(LanguageModel model, List<ScoredSequence> sequences, float[] referenceMargins,
            double beta, NDManager manager) {
        int pairs = referenceMargins.length;
        NDArray logProbs = SequenceScorer.sequenceLogProbs(model, sequences, manager);
        NDArray policyMargins = logProbs.get("0:{}", pairs).sub(logProbs.get("{}:", pairs));
        NDArray margins = policyMargins.sub(manager.create(referenceMargins));
        NDArray preference = margins.mul(NativeScalar.like(margins, beta));
        return Activation.softPlus(preference.neg()).mean();
    }

    private static float[] referenceLogProbs(LanguageModel reference, List<ScoredSequence> sequences) {
        float[] logProbs = new float[sequences.size()];
        for (int from = 0; from < sequences.size(); from += SCORING_BATCH) {
            int to = Math.min(sequences.size(), from + SCORING_BATCH);
            try (NDManager manager = reference.manager().newSubManager()) {
                float[] batch =
                        SequenceScorer.sequenceLogProbs(reference, sequences.subList(from, to), manager).toFloatArray();
                System.arraycopy(batch, 0, logProbs, from, batch.length);
            }
        }
        return logProbs;
    }
}
