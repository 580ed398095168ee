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
 * Direct preference optimization (Rafailov et al., 2023) against a frozen reference, with margin
 * {@code m = (log pi(chosen) - log ref(chosen)) - (log pi(rejected) - log ref(rejected))}, log-probabilities summed
 * over completion tokens only, averaged over the batch's pairs. With hard labels the loss is
 * {@code -log sigmoid(beta * m)}: on a fixed set of pairs it falls towards 0 only as m grows without bound, so it has
 * no finite optimum. With reward labels each pair's label is {@code p = sigmoid(reward margin)} (Bradley-Terry) and
 * the loss is {@code -p log sigmoid(beta m) - (1 - p) log sigmoid(-beta m)}: its minimum, {@code beta m = reward
 * margin}, is the KL-regularized optimum {@code pi_ref * exp(r / beta) / Z}, and the loss there is the labels'
 * entropy, so the excess over it measures convergence. The policy starts as a copy of the reference; the
 * reference's log-probabilities are computed once, before training.
 */
public final class DpoTrainer {

    /**
     * How to train.
     *
     * @param beta the KL strength: smaller lets the policy move further from the reference
     * @param seed seeds the batch order
     * @param rewardLabels soft Bradley-Terry labels from the pairs' reward margins instead of hard labels
     */
    public record Settings(int steps, int batchSize, double beta, double learningRate, long seed,
            boolean rewardLabels) {

        public Settings {
            if (steps < 0 || batchSize < 1 || !(beta > 0) || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "need steps >= 0, batch size >= 1, a positive beta and a positive learning rate");
            }
        }
    }

    /** What training did: the phase and its convergence curve. */
    public record Outcome(ProgressLog.PhaseResult phase, List<AlignmentCurve.Point> curve) {
    }

    private static final double MAX_GRADIENT_NORM = 1.0;
    private static final int SCORING_BATCH = 64;

    private DpoTrainer() {
    }

    /** Trains {@code policy} in place and returns what the phase did. */
    public static Outcome train(TrainableWeights policy, LanguageModel reference,
            List<PreferencePair> pairs, Settings settings, PrintStream progress) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("DPO needs at least one preference pair");
        }
        try (SingleThreaded threads = new SingleThreaded()) {
            return trainSingleThreaded(policy, reference, pairs, settings, progress);
        }
    }

    private static Outcome trainSingleThreaded(TrainableWeights policy, LanguageModel reference,
            List<PreferencePair> pairs, Settings settings, PrintStream progress) {
        float[] referenceChosen = referenceLogProbs(reference, pairs.stream().map(PreferencePair::chosen).toList());
        float[] referenceRejected =
                referenceLogProbs(reference, pairs.stream().map(PreferencePair::rejected).toList());
        AdamOptimizer optimizer =
                new AdamOptimizer(policy, settings.learningRate(), settings.steps(), MAX_GRADIENT_NORM);
        GradientStep gradientStep = new GradientStep(policy, reference.generation(), optimizer);
        BatchOrder order = new BatchOrder(pairs.size(), settings.batchSize(), settings.seed());
        ProgressLog log = new ProgressLog("dpo", settings.steps(), progress);
        AlignmentCurve curve = new AlignmentCurve(settings.steps());
        for (int step = 0; step < settings.steps(); step++) {
            List<Integer> batch = order.nextBatch();
            List<ScoredSequence> sequences = new ArrayList<>();
            float[] referenceMargins = new float[batch.size()];
            float[] labels = new float[batch.size()];
            double[] rewardMargins = new double[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                PreferencePair pair = pairs.get(batch.get(i));
                sequences.add(pair.chosen());
                referenceMargins[i] = referenceChosen[batch.get(i)] - referenceRejected[batch.get(i)];
                rewardMargins[i] = pair.rewardMargin();
                labels[i] = settings.rewardLabels() ? (float) (1 / (1 + Math.exp(-pair.rewardMargin()))) : 1f;
            }
            batch.forEach(pair -> sequences.add(pairs.get(pair).rejected()));
            float[][] implicitMargins = new float[1][];
            float loss = gradientStep.run((model, manager) -> {
                NDArray preference =
                        implicitRewardMargins(model, sequences, referenceMargins, settings.beta(), manager);
                implicitMargins[0] = preference.toFloatArray();
                return settings.rewardLabels() ? softLoss(preference, manager.create(labels)) : hardLoss(preference);
            });
            log.step(loss, sequences.stream().mapToInt(s -> s.ids().length).sum());
            curve.step(loss, labels, implicitMargins[0], rewardMargins);
        }
        return new Outcome(log.result(), curve.points());
    }

    /** beta times the DPO margin of each pair, for a batch whose first half holds the chosen sequences. */
    static NDArray implicitRewardMargins(LanguageModel model, List<ScoredSequence> sequences, float[] referenceMargins,
            double beta, NDManager manager) {
        int pairs = referenceMargins.length;
        NDArray logProbs = SequenceScorer.sequenceLogProbs(model, sequences, manager);
        NDArray policyMargins = logProbs.get("0:{}", pairs).sub(logProbs.get("{}:", pairs));
        NDArray margins = policyMargins.sub(manager.create(referenceMargins));
        return margins.mul(NativeScalar.like(margins, beta));
    }

    /** The DPO loss with every label 1: mean of -log sigmoid(preference). */
    static NDArray hardLoss(NDArray preference) {
        return Activation.softPlus(preference.neg()).mean();
    }

    /** The DPO loss with soft labels p: mean of -p log sigmoid(preference) - (1 - p) log sigmoid(-preference). */
    static NDArray softLoss(NDArray preference, NDArray labels) {
        NDArray rejectedLabels = labels.neg().add(NativeScalar.like(labels, 1.0));
        return Activation.softPlus(preference.neg()).mul(labels)
                .add(Activation.softPlus(preference).mul(rejectedLabels)).mean();
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
