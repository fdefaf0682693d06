package dev.vesper.console;

import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.util.List;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * A live progress bar on the interactive shell's status line, below the prompt, so the shell stays
 * usable while a job trains. Loaded only when the session has a JLine terminal.
 */
final class TerminalStatus implements TrainingListener {
    /** A status line needs a row of its own below the prompt's. */
    private static final int MIN_ROWS = 2;

    private final TrainingJob job;
    /** Null when the terminal cannot show a status line. */
    private final Status status;
    private final LineReader reader;

    private TerminalStatus(TrainingJob job, Status status, LineReader reader) {
        this.job = job;
        this.status = status;
        this.reader = reader;
    }

    /**
     * The job's display on the session's JLine terminal, or null when the session has none. Its
     * progress goes to the status line when the terminal has one it can draw; a terminal that reports
     * no size (a pseudo-terminal nobody sized) has none, and gets only the lines printed above the prompt.
     */
    static TerminalStatus attach(Object terminal, Object reader, TrainingJob job) {
        if (!(terminal instanceof Terminal t) || !(reader instanceof LineReader r)) {
            return null;
        }
        Status status = t.getHeight() >= MIN_ROWS && t.getWidth() > 0 ? Status.getStatus(t) : null;
        if (status != null) {
            // shown now, while the command still runs: the shell then draws its prompt above the line; a status
            // line that first appears under a prompt already drawn leaves the cursor at its start, and the next
            // command typed covers the prompt
            status.update(List.of(new AttributedString("job " + job.id() + " " + job.status().state())));
        }
        return new TerminalStatus(job, status, r);
    }

    /** Prints a line above the prompt without disturbing what the user is typing. */
    void printAbove(String line) {
        reader.printAbove(line);
    }

    @Override
    public void onStep(StepEvent event) {
        if (status != null && event.jobId().equals(job.id())) {
            String line = ProgressLine.render(event, job.status().totalSteps(), job.status().etaSeconds());
            status.update(List.of(new AttributedString("job " + job.id() + " " + line)));
        }
    }

    void clear() {
        if (status != null) {
            status.update(List.of());
        }
    }
}
