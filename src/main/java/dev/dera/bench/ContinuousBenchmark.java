package dev.dera.bench;

import dev.dera.decode.BatchLimits;
import dev.dera.decode.DecodeListener;
import dev.dera.decode.DecodeRequest;
import dev.dera.decode.DecodeSettings;
import dev.dera.decode.DeraDecoder;
import dev.dera.decode.ModelPair;
import dev.dera.decode.StopConditions;
import dev.dera.realign.SamplingParams;
import dev.dera.train.StoryCorpus;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Continuous batching against static micro-batches that drain (admission only into an empty batch, which then
 * compacts as rows finish, as the decoder did before), on the demo's workload: story openings at six lambdas, two
 * samples each, temperature 1, so most rows stop at their story's end well before max_new_tokens.
 */
final class ContinuousBenchmark {
    private static final double[] LAMBDAS = {0, 0.25, 0.5, 1, 1.5, 2};
    private static final long PROMPT_SEED = 2024;
    /** Issue #11's target for continuous over static batching. */
    private static final double TARGET = 1.5;

    private final ModelPair models;
    private final String label;
    private final List<DecodeRequest> requests;

    ContinuousBenchmark(ModelPair models, String label, int prompts, int maxNewTokens) {
        this.models = models;
        this.label = label;
        List<String> texts = StoryCorpus.prompts(PROMPT_SEED, prompts);
        DecodeSettings settings = new DecodeSettings(LAMBDAS, 2, 0L, new SamplingParams(1.0, 0, 1.0, 0),
                StopConditions.maxNewTokens(maxNewTokens));
        this.requests = IntStream.range(0, texts.size())
                .mapToObj(i -> new DecodeRequest("bench-" + i, models.tokenizer().encode(texts.get(i)), settings))
                .sorted(Comparator.comparingInt(r -> r.promptIds().length))
                .toList();
    }

    /** Tokens/s of continuous over static batching with the same number of active rows, alternated, medians. */
    Measurement continuousOverStatic(int activeRows, int warmups, int runs) {
        BatchLimits continuous = BatchLimits.continuous(activeRows);
        BatchLimits drained = continuous.withAdmission(BatchLimits.Admission.WHEN_EMPTY);
        int[] tokens = new int[1];
        int[] steps = new int[2];
        double[] seconds = Timing.medianSeconds(warmups, runs,
                () -> tokens[0] = decode(continuous, steps, 0), () -> decode(drained, steps, 1));
        double continuousRate = tokens[0] / seconds[0];
        double staticRate = tokens[0] / seconds[1];
        int maxNewTokens = requests.get(0).stop().maxNewTokens();
        return Measurement.atLeast(label, "tokens/s: continuous / static batches, " + activeRows + " active rows, "
                + requests.size() + " prompts x 12 rows, at most " + maxNewTokens + " new tokens",
                continuousRate / staticRate, TARGET, String.format(Locale.ROOT,
                "%.0f vs %.0f tokens/s, %d tokens (mean %.1f per row), %d vs %d steps; %s", continuousRate,
                staticRate, tokens[0], (double) tokens[0] / (requests.size() * 12), steps[0], steps[1],
                stepCostFit(seconds[0], seconds[1], steps[0], steps[1], tokens[0], TARGET)));
    }

    /**
     * Both runs decode the same tokens in different numbers of steps; fitted to a step cost of {@code a + b * rows},
     * they give the fixed part {@code a} in rows' worth ({@code a / b}), the only part continuous batching saves, and
     * the least {@code a / b} at which continuous / static would reach {@code target} with these step counts.
     */
    static String stepCostFit(double continuousSeconds, double staticSeconds, int continuousSteps, int staticSteps,
            int tokens, double target) {
        double fixed = (staticSeconds - continuousSeconds) / (staticSteps - continuousSteps);
        double perRow = (continuousSeconds - continuousSteps * fixed) / tokens;
        String needed = staticSteps > target * continuousSteps
                ? String.format(Locale.ROOT, "%s needs %.0f", target, tokens * (target - 1)
                        / (staticSteps - target * continuousSteps))
                : target + " is out of reach with these step counts";
        return String.format(Locale.ROOT, "a step's fixed cost fits %.0f rows' worth (%s)", fixed / perRow, needed);
    }

    /** Operation profiles of one continuous and one static decode of every request: [continuous, static]. */
    OperationProfile[] profile(int activeRows) {
        BatchLimits continuous = BatchLimits.continuous(activeRows);
        BatchLimits drained = continuous.withAdmission(BatchLimits.Admission.WHEN_EMPTY);
        int[] steps = new int[2];
        decode(continuous, steps, 0);
        String work = ", " + activeRows + " active rows, " + requests.size() + " prompts x 12 rows";
        return new OperationProfile[] {
            OperationProfile.measure(label, "continuous decode" + work, () -> {
                decode(continuous, steps, 0);
                return steps[0];
            }),
            OperationProfile.measure(label, "static-batch decode" + work, () -> {
                decode(drained, steps, 1);
                return steps[1];
            })};
    }

    /** Decodes every request and returns the tokens generated; counts the steps into {@code steps[slot]}. */
    private int decode(BatchLimits limits, int[] steps, int slot) {
        int[] tokens = new int[1];
        DecodeListener counting = (step, rows) -> {
            tokens[0] += rows;
            steps[slot] = step + 1;
        };
        new DeraDecoder(models, limits).decode(requests, counting);
        return tokens[0];
    }
}
