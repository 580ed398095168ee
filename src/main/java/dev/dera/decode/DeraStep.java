package dev.dera.decode;

import ai.djl.ndarray.NDArray;
import dev.dera.realign.Realignment;
import dev.dera.realign.Sampler;
import dev.dera.realign.SamplingParams;
import dev.dera.realign.StepScores;
import dev.dera.realign.StepScoring;
import java.util.List;

/** The realignment part of one decode step: mix, draw, score, and the step's single copy to the host. */
public final class DeraStep {
    private DeraStep() {}

    /**
     * Mixes both models' logits with each row's lambda, draws each row's token with its uniform, and returns the
     * tokens with their scores on the host. Intermediates belong to the logits' manager.
     */
    public static StepScores sampleAndScore(PairLogits logits, float[] lambdas, List<SamplingParams> params,
            double[] uniforms) {
        NDArray mixed = Realignment.mix(logits.both(), lambdas);
        NDArray tokens = Sampler.sample(mixed, params, uniforms);
        return StepScores.copyToHost(StepScoring.score(logits.both(), mixed, tokens));
    }
}
