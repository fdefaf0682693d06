package dev.vesper.console;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The answer to a request to switch a job's optimizer or activation. The job settles a request at its
 * next step boundary and reports the outcome (switched, refused, or nothing to switch) as a state
 * change, so {@code use} waits for that rather than promise a switch the job may refuse.
 */
final class SwitchOutcome implements TrainingListener {
    private final String jobId;
    private final String kind;
    private final String name;
    private final CompletableFuture<String> answer = new CompletableFuture<>();

    private SwitchOutcome(String jobId, String kind, String name) {
        this.jobId = jobId;
        this.kind = kind;
        this.name = name;
    }

    /**
     * Makes the request and returns the job's answer. When the job is paused or preparing, or has not
     * reached a step boundary within {@code timeoutMillis}, it returns what to expect, and the answer
     * goes to {@code later} when it comes.
     */
    static String request(BundleContext context, TrainingJob job, String kind, String name, Runnable request,
                          long timeoutMillis, Consumer<String> later) throws InterruptedException {
        String what = kind + " to " + name;
        SwitchOutcome outcome = new SwitchOutcome(job.id(), kind, name);
        ServiceRegistration<TrainingListener> reg = context.registerService(TrainingListener.class, outcome, null);
        boolean deferred = false;
        try {
            JobState state = job.status().state();
            request.run();
            // a paused job settles requests when it resumes; a waiting one at its next look for services
            if (state == JobState.PAUSED || state == JobState.PREPARING) {
                deferred = true;
                outcome.answerLater(reg, later);
                return "job " + job.id() + " is " + state + ": it switches " + what + " when it runs (its answer follows then)";
            }
            return "job " + job.id() + ": " + outcome.answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            deferred = true;
            outcome.answerLater(reg, later);
            return "job " + job.id() + " switches " + what + " at its next step (its answer follows then)";
        } catch (InterruptedException e) {
            throw new Errors.CommandFailed("interrupted; job " + job.id() + " still switches " + what
                    + " at its next step", e);
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        } finally {
            if (!deferred) {
                reg.unregister();
            }
        }
    }

    /** Passes the answer on when it comes, and stops listening then (off the training thread that gives it). */
    private void answerLater(ServiceRegistration<TrainingListener> reg, Consumer<String> later) {
        answer.whenCompleteAsync((text, failure) -> {
            try {
                reg.unregister();
            } catch (IllegalStateException gone) {
                // the console bundle stopped meanwhile
            }
            if (text != null) {
                later.accept("job " + jobId + ": " + text);
            }
        });
    }

    @Override
    public void onStep(StepEvent event) {
    }

    /**
     * The job's outcome for this request names the kind and the name (switched to it, cannot switch to
     * it, already in use, not installed); other state changes (a pause, a wait for a service) are not
     * the answer, and a job that ends first never gives one.
     */
    @Override
    public void onStateChange(JobStatus status) {
        if (!status.jobId().equals(jobId)) {
            return;
        }
        String message = status.message() == null ? "" : status.message();
        if (status.state().ended()) {
            answer.complete("ended (" + status.state() + ") before it switched " + kind + " to " + name);
        } else if (message.contains(kind) && message.contains("'" + name + "'")) {
            answer.complete(message);
        }
    }
}
