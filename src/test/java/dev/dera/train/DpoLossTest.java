package dev.dera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Reward labels give DPO a finite optimum: beta * margin = reward margin, where the loss is the labels' entropy. */
class DpoLossTest {

    @Test
    void softLossIsSmallestWhereTheImplicitMarginEqualsTheRewardMargin() {
        double rewardMargin = 0.8;
        float label = (float) (1 / (1 + Math.exp(-rewardMargin)));
        try (NDManager manager = NDManager.newBaseManager()) {
            float atOptimum = loss(manager, (float) rewardMargin, label);
            double entropy = -label * Math.log(label) - (1 - label) * Math.log(1 - label);
            assertEquals(entropy, atOptimum, 1e-5);
            for (float other : new float[] {0f, 0.5f, 0.7f, 0.9f, 2f, 10f}) {
                assertTrue(loss(manager, other, label) > atOptimum, "preference " + other);
            }
        }
    }

    @Test
    void hardLabelsKeepFallingAsTheMarginGrows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float previous = Float.MAX_VALUE;
            for (float preference : new float[] {0f, 1f, 5f, 10f}) {
                float loss = DpoTrainer.hardLoss(manager.create(new float[] {preference})).getFloat();
                assertTrue(loss < previous);
                previous = loss;
            }
            assertEquals(loss(manager, 10f, 1f), previous, 1e-7);
        }
    }

    private static float loss(NDManager manager, float preference, float label) {
        return DpoTrainer.softLoss(manager.create(new float[] {preference}), manager.create(new float[] {label}))
                .getFloat();
    }
}
