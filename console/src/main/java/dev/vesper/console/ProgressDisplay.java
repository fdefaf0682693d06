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
 * run otherwise (logs, pipes, CI).
 */
final class ProgressDisplay implements TrainingListener {
    private final TrainingJob job;
    private final PrintStream out;
    private final boolean inPlace;
    private final long every;
    /** The progress line is on screen, unfinished: what prints next needs a line of its own. */
    private volatile boolean lineOpen;

    ProgressDisplay(TrainingJob job, PrintStream out, boolean inPlace) {
        this.job = job;
        this.out = out;
        this.inPlace = inPlace;
        this.every = Math.max(1, job.config().steps() / 20);
    }

    @Override
    public void onStep(StepEvent event) {
        if (!event.jobId().equals(job.id())) {
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
    public void onEvaluation(EvalEvent event) {
        if (event.jobId().equals(job.id())) {
            newLine();
            out.println(String.format(Locale.ROOT, "eval  step %d  validation loss %.4f  perplexity %.2f",
                    event.step(), event.validationLoss(), event.validationPerplexity()));
        }
    }

    @Override
    public void onStateChange(JobStatus status) {
        // a failure is the command's own one-line error; printing it here too would say it twice
        if (status.jobId().equals(job.id()) && status.message() != null && status.state() != JobState.FAILED) {
            newLine();
            out.println("job " + status.jobId() + " " + status.state() + ": " + status.message());
        }
    }

    void finish() {
        newLine();
        out.flush();
    }

    private void newLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
