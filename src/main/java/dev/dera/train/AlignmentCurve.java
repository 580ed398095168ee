package dev.dera.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DPO's convergence record: averaged over windows of steps, the loss, its excess over the optimum (the labels'
 * binary entropy; 0 for hard labels), the mean implicit reward margin {@code beta * m} and the mean reward margin
 * that soft labels make its optimum.
 */
public final class AlignmentCurve {
    private static final int POINTS = 40;

    /** One window of steps, ending at {@code step}. */
    public record Point(int step, double loss, double excessLoss, double implicitMargin, double rewardMargin) {
    }

    private final int window;
    private final List<Point> points = new ArrayList<>();
    private int step;
    private int count;
    private double loss;
    private double entropy;
    private double implicit;
    private double reward;

    AlignmentCurve(int steps) {
        window = Math.max(1, steps / POINTS);
    }

    /** Records one step: its loss, each pair's label, implicit margin and reward margin. */
    void step(double stepLoss, float[] labels, float[] implicitMargins, double[] rewardMargins) {
        step++;
        count++;
        loss += stepLoss;
        for (int i = 0; i < labels.length; i++) {
            entropy += binaryEntropy(labels[i]) / labels.length;
            implicit += implicitMargins[i] / (double) labels.length;
            reward += rewardMargins[i] / labels.length;
        }
        if (count == window) {
            points.add(new Point(step, loss / count, (loss - entropy) / count, implicit / count, reward / count));
            count = 0;
            loss = 0;
            entropy = 0;
            implicit = 0;
            reward = 0;
        }
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    /** Writes the points as CSV with a header line. */
    public static void writeCsv(List<Point> points, Path file) {
        StringBuilder csv = new StringBuilder("step,loss,excess_loss,implicit_reward_margin,reward_margin\n");
        for (Point p : points) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f%n", p.step(), p.loss(), p.excessLoss(),
                    p.implicitMargin(), p.rewardMargin()));
        }
        try {
            Files.writeString(file, csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double binaryEntropy(double p) {
        return p <= 0 || p >= 1 ? 0 : -p * Math.log(p) - (1 - p) * Math.log(1 - p);
    }
}
