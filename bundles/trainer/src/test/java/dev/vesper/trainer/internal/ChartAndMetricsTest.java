package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.StepEvent;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.AxisPair;
import org.knowm.xchart.internal.chartpart.Chart;
import org.junit.jupiter.api.io.TempDir;

class ChartAndMetricsTest {
    @TempDir
    Path dir;

    @Test
    void chartIsAPngOfBothPanelsAndSkipsNonFinitePoints() throws Exception {
        double[] steps = {1, 2, 3, 4};
        double[] loss = {5.5, Double.NaN, 4.0, 3.5};
        Path png = LossChart.render(dir.resolve("chart.png"), "job 1", steps, loss, new double[] {2, 4},
                new double[] {5.0, 3.9});
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertTrue(img.getHeight() > 760, "a title band above the two 380-pixel panels");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("chart.png"), files.map(f -> f.getFileName().toString()).toList(),
                    "no temporary file is left");
        }
        // not a blank canvas: the plot area has more than two colours
        assertTrue(distinctColours(img) > 3);
    }

    @Test
    void comparisonChartDrawsEveryRun() throws Exception {
        LossChart.Run a = new LossChart.Run("job 1 adamw", new double[] {1, 2, 3}, new double[] {5, 4, 3},
                new double[] {3}, new double[] {3.2});
        LossChart.Run b = new LossChart.Run("job 2 velvet", new double[] {1, 2, 3}, new double[] {5, 3.5, 2.5},
                new double[] {3}, new double[] {2.9});
        Path png = LossChart.renderComparison(dir.resolve("cmp.png"), "velvet vs adamw", List.of(a, b));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getHeight() > 760);
        assertTrue(distinctColours(img) > 3);
        double[] smooth = LossChart.ema(new double[] {1, Double.NaN, 3}, 0.5);
        assertEquals(1.0, smooth[0]);
        assertTrue(Double.isNaN(smooth[1]));
        assertEquals(2.0, smooth[2]);
    }

    @Test
    void aLongTitleWrapsAtSpacesAndLosesNothing() throws Exception {
        String title = "Velvet against AdamW, tiny {n_layer=6, d_model=256, n_head=8, context=256, dropout=0.1,"
                + " vocab=4096}, 3000 steps, seed 42";
        FontMetrics metrics = LossChart.metrics(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        List<String> lines = LossChart.titleLines(title, metrics, 600);
        assertTrue(lines.size() > 1, lines.toString());
        assertEquals(title, String.join(" ", lines));
        for (String line : lines) {
            assertTrue(metrics.stringWidth(line) <= 600, line);
        }
        assertEquals(List.of("job 1 (adamw)"), LossChart.titleLines("job 1 (adamw)", metrics, 600));
        // and the PNG grows a line rather than cutting the title at its edges
        Path shortOne = LossChart.renderComparison(dir.resolve("a.png"), "short", List.of(run(300)));
        Path longOne = LossChart.renderComparison(dir.resolve("b.png"), title + " " + title, List.of(run(300)));
        assertTrue(ImageIO.read(longOne.toFile()).getHeight() > ImageIO.read(shortOne.toFile()).getHeight());
    }

    /**
     * XChart labels every k-th step (1, 11, 21, ... run together) unless the first point is nudged by
     * more than its 1e-4 equal-spacing tolerance; this reads the ticks it chose, through its internals,
     * so that an XChart upgrade that changes the rule shows up here.
     */
    @Test
    void stepAxisHasRoundTicksThatFitForShortAndLongRuns() throws Exception {
        for (int steps : new int[] {20, 300, 3000}) {
            List<String> ticks = stepTicks(run(steps));
            assertTrue(ticks.size() >= 3 && ticks.size() <= 21, steps + " steps: " + ticks);
            long step = Long.parseLong(ticks.get(1)) - Long.parseLong(ticks.get(0));
            for (int i = 1; i < ticks.size(); i++) {
                assertEquals(step, Long.parseLong(ticks.get(i)) - Long.parseLong(ticks.get(i - 1)), steps + " steps: " + ticks);
            }
            assertTrue(Long.parseLong(ticks.get(0)) % step == 0, "round ticks, not every k-th step from 1: " + ticks);
        }
    }

    private static List<String> stepTicks(LossChart.Run run) throws Exception {
        XYChart chart = LossChart.chart("loss", "loss (nats)");
        LossChart.addLine(chart, "train", run.steps(), run.loss(), false);
        BitmapEncoder.getBufferedImage(chart);   // lays the axes out
        Field pair = Chart.class.getDeclaredField("axisPair");
        pair.setAccessible(true);
        return ((AxisPair<?, ?>) pair.get(chart)).getXAxis().getAxisTickCalculator().getTickLabels();
    }

    private static LossChart.Run run(int steps) {
        double[] s = new double[steps];
        double[] loss = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = i + 1;
            loss[i] = 2 + 3 * Math.exp(-5.0 * i / steps);
        }
        return new LossChart.Run("adamw", s, loss, new double[0], new double[0]);
    }

    @Test
    void metricsAreOneJsonObjectPerLineWithNullForNonFinite() throws Exception {
        try (MetricsLog m = new MetricsLog(dir)) {
            m.step(new StepEvent("1", 1, 0, 5.0, 4.0, 1e-3, 0.9, 0.0, 2.0, 10.0, 200.0, false));
            m.step(new StepEvent("1", 2, 0, Double.NaN, Double.NaN, 1e-3, 0.0, 0.0, Double.POSITIVE_INFINITY, 10.0,
                    200.0, true));
            m.eval(new EvalEvent("1", 2, 4.5, 1024));
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.FILE));
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(lines.get(0));
        assertEquals("step", a.get("type").asText());
        assertEquals(Math.exp(5.0), a.get("perplexity").asDouble(), 1e-9);
        JsonNode b = json.readTree(lines.get(1));
        assertTrue(b.get("loss").isNull());
        assertTrue(b.get("grad_norm").isNull());
        assertTrue(b.get("skipped").asBoolean());
        JsonNode c = json.readTree(lines.get(2));
        assertEquals("eval", c.get("type").asText());
        assertEquals(4.5, c.get("val_loss").asDouble());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
