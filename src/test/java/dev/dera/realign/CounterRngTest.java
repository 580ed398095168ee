package dev.dera.realign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CounterRngTest {

    private static final long SEED = 20240611L;

    @Test
    void sameKeyGivesSameNumberInAnyOrderAndThread() {
        double[] sequential = IntStream.range(0, 1000)
                .mapToDouble(step -> CounterRng.uniform(SEED, "p-1", 0.5, 3, step)).toArray();
        ConcurrentHashMap<Integer, Double> parallel = new ConcurrentHashMap<>();
        IntStream.range(0, 1000).parallel().map(i -> 999 - i)
                .forEach(step -> parallel.put(step, CounterRng.uniform(SEED, "p-1", 0.5, 3, step)));
        for (int step = 0; step < 1000; step++) {
            assertEquals(sequential[step], parallel.get(step));
        }
    }

    @Test
    void changingAnyPartOfTheKeyChangesTheNumber() {
        double base = CounterRng.uniform(SEED, "prompt", 0.5, 1, 7);
        assertNotEquals(base, CounterRng.uniform(SEED + 1, "prompt", 0.5, 1, 7));
        assertNotEquals(base, CounterRng.uniform(SEED, "prompt ", 0.5, 1, 7));
        assertNotEquals(base, CounterRng.uniform(SEED, "prompt", Math.nextUp(0.5), 1, 7));
        assertNotEquals(base, CounterRng.uniform(SEED, "prompt", 0.5, 2, 7));
        assertNotEquals(base, CounterRng.uniform(SEED, "prompt", 0.5, 1, 8));
        assertNotEquals(CounterRng.uniform(SEED, "p", 0.5, 1, 2), CounterRng.uniform(SEED, "p", 0.5, 2, 1));
    }

    @Test
    void promptIdsThatDifferOnlyInPaddingOrOrderDiffer() {
        Set<Double> seen = new HashSet<>();
        for (String id : new String[] {"", "a", "a\0", "\0a", "ab", "ba", "abcd", "abcd\0", "abcde", "edcba"}) {
            assertTrue(seen.add(CounterRng.uniform(SEED, id, 1.0, 0, 0)), "collision for prompt id '" + id + "'");
        }
    }

    @Test
    void negativeZeroLambdaIsTheSameKeyAsZero() {
        assertEquals(CounterRng.uniform(SEED, "p", 0.0, 0, 0), CounterRng.uniform(SEED, "p", -0.0, 0, 0));
    }

    @Test
    void valuesHave53BitsInTheUnitInterval() {
        boolean lowBitSeen = false;
        for (int step = 0; step < 10_000; step++) {
            double u = CounterRng.uniform(SEED, "bits", 1.0, 0, step);
            assertTrue(u >= 0 && u < 1, "out of [0, 1): " + u);
            long scaled = (long) (u * 0x1.0p53);
            assertEquals(u, scaled * 0x1.0p-53);
            lowBitSeen |= (scaled & 1) == 1;
        }
        assertTrue(lowBitSeen, "the lowest of the 53 bits is never set");
    }

    @Test
    void consecutiveStepsAreUniformByChiSquare() {
        assertUniform(step -> CounterRng.uniform(SEED, "uniformity", 0.75, 0, step));
    }

    @Test
    void consecutiveSampleIndicesAreUniformByChiSquare() {
        assertUniform(sample -> CounterRng.uniform(SEED, "uniformity", 0.75, sample, 0));
    }

    @Test
    void rejectsKeysOutsideTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> CounterRng.uniform(SEED, "p", Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CounterRng.uniform(SEED, "p", 1.0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> CounterRng.uniform(SEED, "p", 1.0, 0, -1));
        assertThrows(NullPointerException.class, () -> CounterRng.uniform(SEED, null, 1.0, 0, 0));
    }

    /** 100,000 consecutive counters spread over 100 equal bins as a uniform distribution would. */
    private static void assertUniform(IntToDoubleFunction draw) {
        int bins = 100;
        long[] counts = new long[bins];
        for (int counter = 0; counter < 100_000; counter++) {
            counts[(int) (draw.applyAsDouble(counter) * bins)]++;
        }
        double[] probabilities = new double[bins];
        Arrays.fill(probabilities, 1.0 / bins);
        double statistic = ChiSquare.statistic(counts, probabilities);
        assertTrue(statistic < ChiSquare.quantile999(bins - 1), "chi-square " + statistic);
    }
}
