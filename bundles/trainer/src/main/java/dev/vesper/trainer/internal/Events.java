package dev.vesper.trainer.internal;

import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingListener;
import java.lang.System.Logger.Level;

/** Hands events to the whiteboard listeners; a listener that throws is logged and skipped, never fatal. */
final class Events {
    private final Iterable<TrainingListener> listeners;

    Events(Iterable<TrainingListener> listeners) {
        this.listeners = listeners;
    }

    void step(StepEvent e) {
        for (TrainingListener l : listeners) {
            try {
                l.onStep(e);
            } catch (RuntimeException | LinkageError t) {
                complain(l, t);
            }
        }
    }

    void eval(EvalEvent e) {
        for (TrainingListener l : listeners) {
            try {
                l.onEvaluation(e);
            } catch (RuntimeException | LinkageError t) {
                complain(l, t);
            }
        }
    }

    void stateChange(JobStatus s) {
        for (TrainingListener l : listeners) {
            try {
                l.onStateChange(s);
            } catch (RuntimeException | LinkageError t) {
                complain(l, t);
            }
        }
    }

    private static void complain(TrainingListener l, Throwable t) {
        TrainingLoop.LOG.log(Level.WARNING, "training listener " + l.getClass().getName() + " failed: " + t, t);
    }
}
