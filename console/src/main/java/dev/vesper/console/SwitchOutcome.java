package dev.vesper.console;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The answer to a request to switch a job's optimizer or activation. The job settles a request at its
 * next step boundary and reports the outcome (switched, refused, or nothing to switch) as a state
 * change, so {@code use} waits for that rather than promise a switch the job may refuse.
 */
final class SwitchOutcome implements TrainingListener {
    private final String jobId;
    private final CompletableFuture<String> answer = new CompletableFuture<>();

    private SwitchOutcome(String jobId) {
        this.jobId = jobId;
    }

    /**
     * Makes the request and returns the job's answer, or what to expect when the job is not running
     * or has not reached a step boundary within {@code timeoutMillis}.
     */
    static String request(BundleContext context, TrainingJob job, String what, Runnable request, long timeoutMillis)
            throws InterruptedException {
        SwitchOutcome outcome = new SwitchOutcome(job.id());
        ServiceRegistration<TrainingListener> reg = context.registerService(TrainingListener.class, outcome, null);
        try {
            JobState state = job.status().state();
            request.run();
            if (state != JobState.RUNNING) {
                return "job " + job.id() + " is " + state + ": it switches " + what + " when it runs again";
            }
            return "job " + job.id() + ": " + outcome.answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            return "job " + job.id() + " switches " + what + " at its next step (vesper:status then says so, or why not)";
        } catch (java.util.concurrent.ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        } finally {
            reg.unregister();
        }
    }

    @Override
    public void onStep(dev.vesper.api.train.StepEvent event) {
    }

    @Override
    public void onStateChange(JobStatus status) {
        if (status.jobId().equals(jobId) && status.message() != null) {
            answer.complete(status.message());
        }
    }
}
