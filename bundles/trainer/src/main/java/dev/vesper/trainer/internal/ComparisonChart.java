package dev.vesper.trainer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The benchmark's chart: each arm's training loss (smoothed) and validation loss against step. */
public final class ComparisonChart {
    /** Weight of the newest step in the smoothed curve; raw per-batch losses are too noisy to compare. */
    private static final double SMOOTHING = 0.1;

    private ComparisonChart() {
    }

    public static synchronized Path render(Path target, String title, Map<String, RunMetrics> arms) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle("step")
                .yAxisTitle("loss (nats)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        for (Map.Entry<String, RunMetrics> e : arms.entrySet()) {
            add(chart, e.getKey() + " train (smoothed)", e.getValue().steps(), smooth(e.getValue().losses()), false);
            add(chart, e.getKey() + " validation", e.getValue().evalSteps(), e.getValue().evalLosses(), true);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, boolean markers) {
        int n = 0;
        double[] fx = new double[y.length];
        double[] fy = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                fx[n] = x[i];
                fy[n++] = y[i];
            }
        }
        if (n == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, java.util.Arrays.copyOf(fx, n), java.util.Arrays.copyOf(fy, n));
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static double[] smooth(double[] v) {
        double[] out = new double[v.length];
        double ema = Double.NaN;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                ema = Double.isNaN(ema) ? v[i] : (1 - SMOOTHING) * ema + SMOOTHING * v[i];
            }
            out[i] = ema;
        }
        return out;
    }
}
