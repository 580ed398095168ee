package dev.dera.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dera.eval.Bootstrap.Interval;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void theIntervalOfAMeanIsAboutTheNormalOneForManyPrompts() {
        int prompts = 400;
        double[] weights = new double[prompts];
        double[] values = new double[prompts];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < prompts; i++) {
            weights[i] = 1;
            values[i] = random.nextDouble() * 2;
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (prompts - 1));
        double normalHalfWidth = 1.96 * sd / Math.sqrt(prompts);

        Interval interval = new Bootstrap(4000, 0.95, 2).ratioIntervals(weights, values)[0];

        assertEquals(mean, (interval.low() + interval.high()) / 2, 0.1 * normalHalfWidth);
        assertEquals(normalHalfWidth, (interval.high() - interval.low()) / 2, 0.1 * normalHalfWidth);
    }

    @Test
    void promptsWithMoreRowsWeighMoreAndIdenticalPromptsGiveAPointInterval() {
        Interval[] same = Bootstrap.standard(0).ratioIntervals(new double[] {1, 3}, new double[] {2, 6});
        assertEquals(new Interval(2, 2), same[0]);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75},
                new double[] {Bootstrap.quantile(new double[] {0, 1}, 0.25), Bootstrap.quantile(new double[] {0, 1}, 0.5),
                    Bootstrap.quantile(new double[] {0, 1}, 0.75)});
    }
}
