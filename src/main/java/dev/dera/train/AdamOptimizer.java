package dev.dera.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) over the weights of a {@link TrainableWeights}, with global gradient-norm clipping and a
 * linear warm-up followed by a cosine decay of the learning rate to a tenth of its peak. Call {@link #step} after
 * each backward pass and outside the gradient collector: the update runs with autograd off, then zeroes the
 * gradients for the next step.
 */
public final class AdamOptimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.95f;
    private static final float EPSILON = 1e-8f;
    private static final double FINAL_RATE_FRACTION = 0.1;

    private final List<NDArray> weights;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final double peakRate;
    private final int warmupSteps;
    private final int totalSteps;
    private final double maxGradientNorm;
    private int steps;

    /**
     * @param peakRate learning rate after warm-up
     * @param totalSteps steps of the whole run, over which the rate decays
     * @param maxGradientNorm gradients are scaled down when their global L2 norm exceeds this
     */
    public AdamOptimizer(TrainableWeights weights, double peakRate, int totalSteps, double maxGradientNorm) {
        this.weights = List.copyOf(weights.arrays().values());
        this.peakRate = peakRate;
        this.totalSteps = Math.max(1, totalSteps);
        this.warmupSteps = Math.max(1, Math.min(100, this.totalSteps / 10));
        this.maxGradientNorm = maxGradientNorm;
        for (NDArray weight : this.weights) {
            firstMoments.add(weight.zerosLike());
            secondMoments.add(weight.zerosLike());
        }
    }

    /** Learning rate of the next step. */
    public double learningRate() {
        if (steps < warmupSteps) {
            return peakRate * (steps + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (steps - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peakRate * (FINAL_RATE_FRACTION + (1 - FINAL_RATE_FRACTION) * cosine);
    }

    /** Applies one update from the accumulated gradients and zeroes them; returns the gradient norm before clipping. */
    public double step() {
        double rate = learningRate();
        steps++;
        // The update must not be recorded for autograd. PyTorch's grad mode is per thread and on by default; DJL
        // turns it off only on the thread that started the engine, which need not be this one (e.g. when Spark
        // threads started it first).
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope()) {
            List<NDArray> gradients = weights.stream().map(NDArray::getGradient).toList();
            double norm = globalNorm(gradients);
            float clip = (float) Math.min(1.0, maxGradientNorm / (norm + 1e-12));
            float firstCorrection = (float) (1 - Math.pow(BETA1, steps));
            float secondCorrection = (float) (1 - Math.pow(BETA2, steps));
            for (int i = 0; i < weights.size(); i++) {
                NDArray gradient = gradients.get(i).mul(clip);
                NDArray first = firstMoments.get(i).muli(BETA1).addi(gradient.mul(1 - BETA1));
                NDArray second = secondMoments.get(i).muli(BETA2).addi(gradient.square().mul(1 - BETA2));
                NDArray denominator = second.div(secondCorrection).sqrt().add(EPSILON);
                weights.get(i).subi(first.div(firstCorrection).div(denominator).mul((float) rate));
                gradients.get(i).subi(gradients.get(i));
            }
            return norm;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static double globalNorm(List<NDArray> gradients) {
        double squares = 0;
        for (NDArray gradient : gradients) {
            squares += gradient.square().sum().getFloat();
        }
        return Math.sqrt(squares);
    }
}
