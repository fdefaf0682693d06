package dev.vesper.trainer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.StepEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
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
        assertEquals(760, img.getHeight());
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
        assertEquals(760, img.getHeight());
        assertTrue(distinctColours(img) > 3);
        double[] smooth = LossChart.ema(new double[] {1, Double.NaN, 3}, 0.5);
        assertEquals(1.0, smooth[0]);
        assertTrue(Double.isNaN(smooth[1]));
        assertEquals(2.0, smooth[2]);
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
