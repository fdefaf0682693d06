package dev.vesper.trainer.internal;

import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingListener;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Hands events to the whiteboard listeners; a listener that throws is logged and skipped, never fatal. */
final class Events {
    private final Iterable<TrainingListener> listeners;
    /** Listeners that failed already: logged once with the stack trace, then quietly. */
    private final Set<TrainingListener> failed = Collections.newSetFromMap(new IdentityHashMap<>());

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

    private void complain(TrainingListener l, Throwable t) {
        if (failed.add(l)) {
            TrainingLoop.LOG.log(Level.WARNING, "training listener " + l.getClass().getName() + " failed (further "
                    + "failures of it are logged at debug level): " + t, t);
        } else {
            TrainingLoop.LOG.log(Level.DEBUG, "training listener " + l.getClass().getName() + " failed: " + t);
        }
    }
}
