package dev.vesper.trainer.internal;

import dev.vesper.files.AtomicFiles;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The run's chart: a title band, then loss (top) and perplexity (bottom) against step, training and
 * validation, as one PNG written atomically. Rendered headless with XChart.
 */
public final class LossChart {
    public static final String FILE = "chart.png";
    private static final int WIDTH = 900;
    /** Of each panel; the title band above them grows with the lines the title wraps to. */
    private static final int HEIGHT = 380;
    private static final int TITLE_MARGIN = 10;
    /**
     * XChart labels every k-th x value, rather than choosing round ticks, when the values are equally
     * spaced to within 1e-4 (AxisTickCalculator_, XChart 3.8.8): on long runs those labels run together
     * ("101111121131"). Moving the first point by 10 times that keeps XChart's round ticks and is far
     * below a pixel (0.04 px on a 20-step chart).
     */
    static final double FIRST_STEP_NUDGE = 1e-3;

    private LossChart() {
    }

    public static synchronized Path render(Path target, String title, double[] steps, double[] loss,
                                           double[] evalSteps, double[] evalLoss) throws IOException {
        headless();
        XYChart lossChart = chart("loss", "loss (nats)");
        XYChart pplChart = perplexityChart("perplexity");
        addLine(lossChart, "train", steps, loss, false);
        addLine(pplChart, "train", steps, exp(loss), false);
        if (evalSteps.length > 0) {
            addLine(lossChart, "validation", evalSteps, evalLoss, true);
            addLine(pplChart, "validation", evalSteps, exp(evalLoss), true);
        }
        return write(target, title, lossChart, pplChart);
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
        XYChart lossChart = chart("training loss (EMA 0.9)", "loss (nats)");
        boolean evals = runs.stream().anyMatch(r -> r.evalSteps().length > 0);
        XYChart lower = evals ? chart("validation loss", "loss (nats)")
                : perplexityChart("training perplexity (EMA 0.9)");
        for (Run r : runs) {
            double[] smooth = ema(r.loss(), 0.9);
            addLine(lossChart, r.label(), r.steps(), smooth, false);
            if (evals) {
                addLine(lower, r.label(), r.evalSteps(), r.evalLoss(), true);
            } else {
                addLine(lower, r.label(), r.steps(), exp(smooth), false);
            }
        }
        return write(target, title, lossChart, lower);
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static Path write(Path target, String title, XYChart upper, XYChart lower) throws IOException {
        BufferedImage top = BitmapEncoder.getBufferedImage(upper);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(lower);
        Styler style = upper.getStyler();
        // a size above the panels' titles, as it heads both
        Font font = style.getChartTitleFont();
        FontMetrics metrics = metrics(font.deriveFont(font.getSize2D() + 2));
        List<String> lines = titleLines(title, metrics, WIDTH - 2 * TITLE_MARGIN);
        int band = 2 * TITLE_MARGIN + lines.size() * metrics.getHeight();
        BufferedImage both = new BufferedImage(WIDTH, band + 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        try {
            g.setColor(style.getChartBackgroundColor());
            g.fillRect(0, 0, WIDTH, band);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(metrics.getFont());
            g.setColor(style.getChartFontColor());
            for (int i = 0; i < lines.size(); i++) {
                g.drawString(lines.get(i), (WIDTH - metrics.stringWidth(lines.get(i))) / 2,
                        TITLE_MARGIN + i * metrics.getHeight() + metrics.getAscent());
            }
            g.drawImage(top, 0, band, null);
            g.drawImage(bottom, 0, band + HEIGHT, null);
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

    static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /**
     * The title in lines no wider than {@code width}, broken at spaces: a benchmark's title names the
     * model and its overrides, and XChart would draw it on one line and cut it at the image's edges.
     * A single word wider than the line stays whole.
     */
    static List<String> titleLines(String title, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : title.strip().split(" +")) {
            if (line.length() > 0 && metrics.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
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

    static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
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

    static void addLine(XYChart chart, String name, double[] x, double[] y, boolean markers) {
        double[][] finite = finite(x, y);
        if (finite[0].length == 0) {
            return;
        }
        if (finite[0].length > 2) {
            finite[0][0] += FIRST_STEP_NUDGE;
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
