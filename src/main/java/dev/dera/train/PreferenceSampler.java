package dev.dera.train;

import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DecodeResult;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.decode.StopConditions;
import dev.dera.eval.Reward;
import dev.dera.realign.SamplingParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Preference pairs sampled from the reference model: for each prompt, several completions drawn with
 * {@link DeraDecoder} at lambda 0 (the reference alone) and temperature 1; the completion with the highest reward
 * is chosen, the one with the lowest rejected. Prompts whose completions all score the same give no pair.
 */
public final class PreferenceSampler {

    private static final int PROMPTS_PER_DECODE = 64;
    private static final SamplingParams TEMPERATURE_ONE = new SamplingParams(1.0, 0, 1.0, 0.0);

    private PreferenceSampler() {
    }

    /**
     * Samples the pairs.
     *
     * @param models a pair whose reference is the model to sample from (the aligned model is not used)
     * @param samplesPerPrompt completions per prompt, at least 2
     * @param seed the decode's run seed
     */
    public static List<PreferencePair> sample(ModelPair models, List<String> prompts, int samplesPerPrompt,
            int maxNewTokens, Reward reward, long seed) {
        if (samplesPerPrompt < 2) {
            throw new IllegalArgumentException("need at least 2 samples per prompt, got " + samplesPerPrompt);
        }
        try (SingleThreaded threads = new SingleThreaded()) {
            return samplePairs(models, prompts, samplesPerPrompt, maxNewTokens, reward, seed);
        }
    }

    private static List<PreferencePair> samplePairs(ModelPair models, List<String> prompts, int samplesPerPrompt,
            int maxNewTokens, Reward reward, long seed) {
        DeraDecoder decoder = new DeraDecoder(models);
        DecodeSettings settings = new DecodeSettings(new double[] {0.0}, samplesPerPrompt, seed, TEMPERATURE_ONE,
                StopConditions.maxNewTokens(maxNewTokens));
        List<PreferencePair> pairs = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += PROMPTS_PER_DECODE) {
            List<DecodeRequest> requests = new ArrayList<>();
            for (int p = from; p < Math.min(prompts.size(), from + PROMPTS_PER_DECODE); p++) {
                requests.add(new DecodeRequest("preference-" + p, models.tokenizer().encode(prompts.get(p)),
                        settings));
            }
            List<DecodeResult> results = decoder.decode(requests);
            for (int r = 0; r < requests.size(); r++) {
                List<DecodeResult> samples = results.subList(r * samplesPerPrompt, (r + 1) * samplesPerPrompt);
                rank(requests.get(r).promptIds(), samples, reward).ifPresent(pairs::add);
            }
        }
        return pairs;
    }

    private static Optional<PreferencePair> rank(int[] promptIds, List<DecodeResult> samples,
            Reward reward) {
        List<DecodeResult> usable = samples.stream()
                .filter(s -> s.error() == null && s.completionIds().length > 0)
                .sorted(Comparator.comparingDouble(s -> reward.score(s.completionText())))
                .toList();
        if (usable.size() < 2) {
            return Optional.empty();
        }
        DecodeResult worst = usable.get(0);
        DecodeResult best = usable.get(usable.size() - 1);
        double margin = reward.score(best.completionText()) - reward.score(worst.completionText());
        if (margin == 0) {
            return Optional.empty();
        }
        return Optional.of(new PreferencePair(promptIds, best.completionIds(), worst.completionIds(), margin));
    }
}
