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
    private final TrainingJob job;
    private final Status status;
    private final LineReader reader;

    private TerminalStatus(TrainingJob job, Status status, LineReader reader) {
        this.job = job;
        this.status = status;
        this.reader = reader;
    }

    /** A status-line display, or null when the session has no JLine terminal with a status line. */
    static TerminalStatus attach(Object terminal, Object reader, TrainingJob job) {
        if (!(terminal instanceof Terminal t) || !(reader instanceof LineReader r)) {
            return null;
        }
        Status status = Status.getStatus(t);
        if (status == null) {
            return null;
        }
        // shown now, while the command still runs: the shell then draws its prompt above the line; a status
        // line that first appears under a prompt already drawn leaves the cursor at its start, and the next
        // command typed covers the prompt
        status.update(List.of(new AttributedString("job " + job.id() + " " + job.status().state())));
        return new TerminalStatus(job, status, r);
    }

    /** Prints a line above the prompt without disturbing what the user is typing. */
    void printAbove(String line) {
        reader.printAbove(line);
    }

    @Override
    public void onStep(StepEvent event) {
        if (event.jobId().equals(job.id())) {
            String line = ProgressLine.render(event, job.status().totalSteps(), job.status().etaSeconds());
            status.update(List.of(new AttributedString("job " + job.id() + " " + line)));
        }
    }

    void clear() {
        status.update(List.of());
    }
}
