package dev.vesper.trainer.internal;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run's chart: loss (top) and perplexity (bottom) against step, training and validation, as
 * one PNG written atomically. Rendered headless with XChart.
 */
public final class LossChart {
    public static final String FILE = "chart.png";
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private LossChart() {
    }

    public static synchronized Path render(Path target, String title, double[] steps, double[] loss,
                                           double[] evalSteps, double[] evalLoss) throws IOException {
        headless();
        XYChart lossChart = chart(title + " - loss", "loss (nats)");
        XYChart pplChart = perplexityChart(title + " - perplexity");
        addLine(lossChart, "train", steps, loss, false);
        addLine(pplChart, "train", steps, exp(loss), false);
        if (evalSteps.length > 0) {
            addLine(lossChart, "validation", evalSteps, evalLoss, true);
            addLine(pplChart, "validation", evalSteps, exp(evalLoss), true);
        }
        return write(target, lossChart, pplChart);
    }

    /** One run of a comparison: its label and its history. */
    public record Run(String label, double[] steps, double[] loss, double[] evalSteps, double[] evalLoss) {
    }

    /**
     * Several runs on one chart: training loss (smoothed, as raw per-step losses of several runs are
     * unreadable together) on top, validation loss below (or smoothed training perplexity when no run
     * evaluated).
     */
    public static synchronized Path renderComparison(Path target, String title, List<Run> runs) throws IOException {
        headless();
        XYChart lossChart = chart(title + " - training loss (EMA 0.9)", "loss (nats)");
        boolean evals = runs.stream().anyMatch(r -> r.evalSteps().length > 0);
        XYChart lower = evals ? chart(title + " - validation loss", "loss (nats)")
                : perplexityChart(title + " - training perplexity (EMA 0.9)");
        for (Run r : runs) {
            double[] smooth = ema(r.loss(), 0.9);
            addLine(lossChart, r.label(), r.steps(), smooth, false);
            if (evals) {
                addLine(lower, r.label(), r.evalSteps(), r.evalLoss(), true);
            } else {
                addLine(lower, r.label(), r.steps(), exp(smooth), false);
            }
        }
        return write(target, lossChart, lower);
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static Path write(Path target, XYChart upper, XYChart lower) throws IOException {
        BufferedImage top = BitmapEncoder.getBufferedImage(upper);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(lower);
        BufferedImage both = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        try {
            g.drawImage(top, 0, 0, null);
            g.drawImage(bottom, 0, HEIGHT, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(both, "png", png)) {
            throw new IOException("no PNG writer available for " + target);
        }
        AtomicFiles.writeBytes(target, png.toByteArray());
        return target;
    }

    /** Exponential moving average, skipping non-finite values (they stay in place as NaN). */
    static double[] ema(double[] v, double decay) {
        double[] r = new double[v.length];
        double m = Double.NaN;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                m = Double.isNaN(m) ? v[i] : decay * m + (1 - decay) * v[i];
                r[i] = m;
            } else {
                r[i] = Double.NaN;
            }
        }
        return r;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setChartTitleVisible(true);
        c.getStyler().setXAxisDecimalPattern("#");
        return c;
    }

    /** Perplexity spans orders of magnitude early in a run: a log axis keeps the late part readable. */
    private static XYChart perplexityChart(String title) {
        XYChart c = chart(title, "perplexity (log)");
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, boolean markers) {
        double[][] finite = finite(x, y);
        if (finite[0].length == 0) {
            return;
        }
        if (finite[0].length > 2) {
            // XChart labels every k-th point of equally spaced x values, and the labels overlap on long
            // runs; an invisible shift of the first point makes it use its ordinary numeric ticks
            finite[0][0] += 1e-6;
        }
        XYSeries s = chart.addSeries(name, finite[0], finite[1]);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /** XChart cannot draw NaN or infinity: skipped steps are left out of the plot. */
    private static double[][] finite(double[] x, double[] y) {
        int n = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        double[] fx = new double[n];
        double[] fy = new double[n];
        for (int i = 0, j = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                fx[j] = x[i];
                fy[j++] = y[i];
            }
        }
        return new double[][] {fx, fy};
    }

    private static double[] exp(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.exp(v[i]);
        }
        return r;
    }
}
