package dev.vesper.trainer.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/** A run's loss chart: the training and validation losses so far, drawn at the end of the run and on request. */
final class RunChart {
    private final String id;
    private final Path runDirectory;
    private final Equipment equipment;
    private final History history = new History();

    RunChart(String id, Path runDirectory, Equipment equipment) {
        this.id = id;
        this.runDirectory = runDirectory;
        this.equipment = equipment;
    }

    void step(long step, double loss) {
        history.step(step, loss);
    }

    void eval(long step, double loss) {
        history.eval(step, loss);
    }

    /** Draws the chart into the run's folder; returns its file. */
    Path render() throws IOException {
        double[][] s = history.snapshot();
        return LossChart.render(runDirectory.resolve(LossChart.FILE), title(), s[0], s[1], s[2], s[3]);
    }

    /** The job and every optimizer it ran with, such as "job 1 (adamw, velvet after step 150)". */
    String title() {
        return "job " + id + " (" + equipment.optimizersUsed() + ")";
    }

    /** The run's losses for a comparison chart, labelled with its id and optimizers. */
    LossChart.Run run() {
        double[][] s = history.snapshot();
        return new LossChart.Run("job " + id + " " + equipment.optimizersUsed(), s[0], s[1], s[2], s[3]);
    }

    /** Draws the chart at the end of a run that took a step; one that cannot be drawn is a warning, not a failure. */
    void renderQuietly() {
        if (history.isEmpty()) {
            return;
        }
        try {
            render();
        } catch (IOException | RuntimeException | LinkageError e) {
            TrainingLoop.LOG.log(Level.WARNING, "job " + id + ": could not render the chart: " + e, e);
        }
    }
}
