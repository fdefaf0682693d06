package dev.vesper.console;

import dev.vesper.api.train.EvalEvent;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows one job's progress on a stream: redrawn in place on a terminal, one line every 5% of the
 * run otherwise (logs, pipes, CI). The job's thread reports and the command's thread finishes: each
 * print is one synchronized step, and nothing prints after {@link #finish()}.
 */
final class ProgressDisplay implements TrainingListener {
    private final TrainingJob job;
    private final PrintStream out;
    private final boolean inPlace;
    private final long every;
    /** The progress line is on screen, unfinished: what prints next needs a line of its own. */
    private boolean lineOpen;
    private boolean finished;

    ProgressDisplay(TrainingJob job, PrintStream out, boolean inPlace) {
        this.job = job;
        this.out = out;
        this.inPlace = inPlace;
        this.every = Math.max(1, job.config().steps() / 20);
    }

    @Override
    public synchronized void onStep(StepEvent event) {
        if (finished || !event.jobId().equals(job.id())) {
            return;
        }
        JobStatus s = job.status();
        String line = ProgressLine.render(event, s.totalSteps(), s.etaSeconds());
        if (inPlace) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
            lineOpen = true;
        } else if (event.step() % every == 0 || event.step() == s.totalSteps()) {
            out.println(line);
        }
    }

    @Override
    public synchronized void onEvaluation(EvalEvent event) {
        if (!finished && event.jobId().equals(job.id())) {
            newLine();
            out.println(String.format(Locale.ROOT, "eval  step %d  validation loss %.4f  perplexity %.2f",
                    event.step(), event.validationLoss(), event.validationPerplexity()));
        }
    }

    @Override
    public synchronized void onStateChange(JobStatus status) {
        // a failure is the command's own one-line error; printing it here too would say it twice
        if (!finished && status.jobId().equals(job.id()) && status.message() != null && status.state() != JobState.FAILED) {
            newLine();
            out.println("job " + status.jobId() + " " + status.state() + ": " + inForeground(status.message()));
        }
    }

    /**
     * A waiting job's hint as this run can follow it: the command waits on the job, so no other command can be typed
     * (a one-command run has no shell at all), and Ctrl-C is what stops it.
     */
    static String inForeground(String message) {
        return message.replace("vesper:stop ends the run", "Ctrl-C ends the run");
    }

    synchronized void finish() {
        newLine();
        out.flush();
        finished = true;
    }

    private void newLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
