package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.api.train.TrainingJob;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The end of a foreground run: the summary survives a chart that cannot be drawn. */
class ForegroundRunTest {

    private static TrainingJob jobWhoseChart(Supplier<Path> render) {
        return (TrainingJob) Proxy.newProxyInstance(TrainingJob.class.getClassLoader(), new Class<?>[] {TrainingJob.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("renderChart")) {
                        return render.get();
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not part of this test");
                });
    }

    @Test
    void aDrawnChartIsNamedByItsPath() {
        assertEquals(Path.of("runs", "1", "loss.png").toString(),
                ForegroundRun.chart(jobWhoseChart(() -> Path.of("runs", "1", "loss.png"))));
    }

    @Test
    void aChartThatCannotBeDrawnIsReportedAndTheRunGoesOn() {
        // what a headless JRE without libharfbuzz gives on the second try (the first is an UnsatisfiedLinkError)
        String line = ForegroundRun.chart(jobWhoseChart(() -> {
            throw new IllegalStateException("job 1: this Java cannot draw the chart: java.lang.NoClassDefFoundError: "
                    + "Could not initialize class sun.awt.X11FontManager");
        }));
        assertEquals("not rendered (job 1: this Java cannot draw the chart: java.lang.NoClassDefFoundError: "
                + "Could not initialize class sun.awt.X11FontManager)", line);
    }

    @Test
    void theHintToGoOnNamesTheLauncherTheUserTyped() {
        assertEquals("./vesper", ForegroundRun.launcher("./vesper"));
        assertEquals("/opt/vesper/bin/vesper", ForegroundRun.launcher("/opt/vesper/bin/vesper"));
        assertEquals("bin/vesper", ForegroundRun.launcher(null));
    }

    @Test
    void theRunsFirstLineShowsTheOptionsGivenToItsOptimizer() {
        dev.vesper.api.train.TrainingConfig c = new dev.vesper.api.train.TrainingConfig().optimizer("adamw");
        assertEquals("adamw", ForegroundRun.optimizer(null, c));
        c.optimizerOption("beta2", "0.95").optimizerOption("weight_decay", "0.1");
        assertEquals("adamw (beta2=0.95, weight_decay=0.1)", ForegroundRun.optimizer("adamw", c));
        // a resumed run that had switched to velvet: the options were adamw's
        assertEquals("velvet", ForegroundRun.optimizer("velvet", c));
    }
}
