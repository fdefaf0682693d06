package dev.vesper.console;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.util.Locale;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Shows a background job's progress on the shell's status line, and its end above the prompt. */
final class BackgroundProgress {
    private BackgroundProgress() {
    }

    /**
     * Shows {@code job}'s progress while it runs, if the session has a JLine terminal; at its end,
     * {@code onEnd} runs in any case, and what it returns follows the summary line.
     */
    static void watch(BundleContext context, CommandSession session, TrainingJob job, Function<JobStatus, String> onEnd) {
        TerminalStatus status = terminalStatus(session, job);
        ServiceRegistration<TrainingListener> reg = status == null ? null
                : context.registerService(TrainingListener.class, status, null);
        job.completion().whenComplete((end, failure) -> {
            String after = "";
            try {
                after = end != null ? onEnd.apply(end) : "";
            } catch (RuntimeException e) {
                after = "; " + Errors.oneLine(e);
            } finally {
                if (status != null) {
                    reg.unregister();
                    status.clear();
                    status.printAbove(failure != null ? "job " + job.id() + " failed: " + Errors.oneLine(failure)
                            : summary(end) + after);
                }
            }
        });
    }

    private static TerminalStatus terminalStatus(CommandSession session, TrainingJob job) {
        try {
            return TerminalStatus.attach(session.get(".terminal"), session.get(".reader"), job);
        } catch (LinkageError noJLine) {
            return null;
        }
    }

    static String summary(JobStatus end) {
        if (end.state() == JobState.FAILED) {
            return "job " + end.jobId() + " failed: " + end.message();
        }
        String state = end.state().toString().toLowerCase(Locale.ROOT);
        String message = end.message();
        // the job's own message may open with what this line has just said ("stopped at step N; checkpoint ...",
        // or "stopped at step N: why; checkpoint ...")
        String said = state + " at step " + end.step();
        if (message != null && (message.startsWith(said + "; ") || message.startsWith(said + ": "))) {
            message = message.substring(said.length() + 2);
        }
        return String.format(Locale.ROOT, "job %s %s at step %d: loss %s, validation loss %s%s", end.jobId(), state,
                end.step(), Tables.num(end.loss(), "%.4f"), Tables.num(end.validationLoss(), "%.4f"),
                message == null ? "" : " (" + message + ")");
    }
}
