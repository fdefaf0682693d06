package dev.vesper.trainer.internal;

import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.StepEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * A run's record: its metrics file, which holds every step, evaluation and note (a note names the step the
 * run stands at), and the lines it writes to the log. Steps and evaluations also go to the listeners.
 */
final class Journal {
    private final String id;
    private final Progress progress;
    private final Events events;
    private MetricsLog metrics;

    Journal(String id, Progress progress, Events events) {
        this.id = id;
        this.progress = progress;
        this.events = events;
    }

    /** Opens the run's metrics file, making its folder; notes before this are not written. */
    void open(Path runDirectory) throws IOException {
        metrics = new MetricsLog(runDirectory);
    }

    /** A note in the metrics file at the current step; one that cannot be written is a warning in the log. */
    void note(String kind, String text) {
        if (metrics == null) {
            return;
        }
        try {
            metrics.note(progress.step(), kind, text);
        } catch (IOException e) {
            warn("could not write " + MetricsLog.FILE + ": " + e.getMessage());
        }
    }

    void step(StepEvent e) throws IOException {
        metrics.step(e);
        events.step(e);
    }

    void eval(long step, Evaluator.Result r) throws IOException {
        EvalEvent e = new EvalEvent(id, step, r.loss(), r.tokens());
        metrics.eval(e);
        events.eval(e);
    }

    /** A line in the log at warning level, naming the job. */
    void warn(String text) {
        TrainingLoop.LOG.log(Level.WARNING, "job " + id + ": " + text);
    }

    /** A line in the log at debug level, naming the job, with where {@code t} was thrown: for a plug-in's author. */
    void debug(String text, Throwable t) {
        TrainingLoop.LOG.log(Level.DEBUG, "job " + id + ": " + text, t);
    }

    /** Closes the metrics file; notes after this are not written. */
    void close() {
        try {
            if (metrics != null) {
                metrics.close();
            }
        } catch (IOException | RuntimeException e) {
            warn(e.getMessage());
        } finally {
            metrics = null;
        }
    }
}
