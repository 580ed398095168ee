package dev.dera.train;

import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.decode.StopConditions;
import dev.dera.eval.ScoredCompletion;
import dev.dera.realign.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/** DeRa decodes of many prompts at several lambdas, one sample each, for the tests (single-threaded: fast here). */
final class Sweeps {
    /** Temperature 1, no filtering: the policy pi_lambda itself. */
    static final SamplingParams SAMPLED = new SamplingParams(1.0, 0, 1.0, 0.0);

    private Sweeps() {
    }

    static List<DecodeResult> decode(ModelPair models, List<String> prompts, double[] lambdas,
            SamplingParams sampling, int maxNewTokens, long seed) {
        List<DecodeRequest> requests = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            requests.add(new DecodeRequest("prompt-" + p, models.tokenizer().encode(prompts.get(p)),
                    new DecodeSettings(lambdas, 1, seed, sampling, StopConditions.maxNewTokens(maxNewTokens))));
        }
        try (SingleThreaded threads = new SingleThreaded()) {
            return new DeraDecoder(models).decode(requests);
        }
    }

    static List<ScoredCompletion> scored(List<DecodeResult> results) {
        return results.stream().map(ScoredCompletion::of).toList();
    }
}
