package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MicroBatchesTest {
    @Test
    void batchesCloseAtTheTokenBudget() {
        // 2 rows per prompt, 10 new tokens: costs 2*(5+10)=30, 30, 2*(20+10)=60, 60
        assertEquals(List.of(2, 3, 4), MicroBatches.ends(new int[] {5, 5, 20, 20}, 2, 10, 60, 100));
    }

    @Test
    void batchesCloseAtThePromptCount() {
        assertEquals(List.of(2, 4, 5), MicroBatches.ends(new int[] {1, 1, 1, 1, 1}, 1, 1, 1_000, 2));
    }

    @Test
    void aPromptOverTheBudgetGetsABatchOfItsOwn() {
        assertEquals(List.of(1, 2), MicroBatches.ends(new int[] {3, 500}, 4, 64, 100, 8));
        assertEquals(List.of(), MicroBatches.ends(new int[0], 1, 1, 10, 1));
    }
}
