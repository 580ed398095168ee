package dev.dera.eval;

import dev.dera.eval.LambdaTable.LambdaRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The reward-vs-KL frontier as a PNG, drawn with JFreeChart: one point per lambda at (mean KL to the reference,
 * mean reward) with its bootstrap intervals as bars on both axes, each labelled with its lambda; retrained models
 * as a second series; the KL budget as a vertical line and the recommended lambda ringed.
 */
public final class FrontierChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final Color DERA = new Color(0x1f77b4);
    private static final Color RETRAINED = new Color(0xd62728);
    private static final Color RECOMMENDED = new Color(0x2ca02c);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A labelled point of a series. */
    public record Point(String label, LambdaRow row) {
    }

    private FrontierChart() {
    }

    /** The chart as PNG bytes. */
    public static byte[] png(String rewardName, List<Point> dera, List<Point> retrained, Optional<Double> klBudget,
            OptionalDouble recommended) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(series("DeRa at lambda", dera));
        if (!retrained.isEmpty()) {
            data.addSeries(series("retrained at beta", retrained));
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setSeriesPaint(0, DERA);
        renderer.setSeriesPaint(1, RETRAINED);
        renderer.setSeriesLinesVisible(1, false);
        renderer.setErrorStroke(new BasicStroke(1.2f));
        renderer.setCapLength(6);
        NumberAxis kl = new NumberAxis("mean KL(pi_lambda || pi_ref) per completion, nats (95% bootstrap CI)");
        NumberAxis reward = new NumberAxis("mean reward: " + rewardName + " (95% bootstrap CI)");
        kl.setAutoRangeIncludesZero(false);
        kl.setLowerMargin(0.04);
        reward.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, kl, reward, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        label(plot, dera, DERA, TextAnchor.BOTTOM_LEFT);
        label(plot, retrained, RETRAINED, TextAnchor.TOP_LEFT);
        klBudget.ifPresent(budget -> plot.addDomainMarker(budgetLine(budget)));
        recommended.ifPresent(lambda -> dera.stream().filter(p -> p.row().lambda() == lambda).findFirst()
                .ifPresent(p -> markRecommended(plot, p.row())));
        JFreeChart chart = new JFreeChart("Reward vs KL to the reference", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the frontier chart", e);
        }
    }

    private static XYIntervalSeries series(String name, List<Point> points) {
        XYIntervalSeries series = new XYIntervalSeries(name, false, true);
        for (Point point : points) {
            LambdaRow row = point.row();
            if (Double.isNaN(row.meanReward())) {
                continue;
            }
            double klLow = row.klInterval() == null ? row.meanKlToRef() : row.klInterval().low();
            double klHigh = row.klInterval() == null ? row.meanKlToRef() : row.klInterval().high();
            double rewardLow = row.rewardInterval() == null ? row.meanReward() : row.rewardInterval().low();
            double rewardHigh = row.rewardInterval() == null ? row.meanReward() : row.rewardInterval().high();
            series.add(row.meanKlToRef(), klLow, klHigh, row.meanReward(), rewardLow, rewardHigh);
        }
        return series;
    }

    private static void label(XYPlot plot, List<Point> points, Color color, TextAnchor anchor) {
        for (Point point : points) {
            if (!Double.isNaN(point.row().meanReward())) {
                XYTextAnnotation text = new XYTextAnnotation("  " + point.label(), point.row().meanKlToRef(),
                        point.row().meanReward());
                text.setTextAnchor(anchor);
                text.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                text.setPaint(color);
                plot.addAnnotation(text);
            }
        }
    }

    private static ValueMarker budgetLine(double budget) {
        ValueMarker marker = new ValueMarker(budget, Color.GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        marker.setLabel("KL budget " + LambdaTable.trim(budget) + " nats");
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        return marker;
    }

    private static void markRecommended(XYPlot plot, LambdaRow row) {
        XYPointerAnnotation arrow = new XYPointerAnnotation("recommended", row.meanKlToRef(), row.meanReward(),
                Math.PI / 4);
        arrow.setTipRadius(6);
        arrow.setBaseRadius(45);
        arrow.setTextAnchor(TextAnchor.TOP_LEFT);
        arrow.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        arrow.setPaint(RECOMMENDED);
        arrow.setArrowPaint(RECOMMENDED);
        plot.addAnnotation(arrow);
    }
}
