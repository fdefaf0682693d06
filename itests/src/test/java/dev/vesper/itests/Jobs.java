package dev.vesper.itests;

import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingJob;
import java.util.function.Predicate;

/** Waiting on a training job from an integration test. */
final class Jobs {
    private Jobs() {
    }

    /** Polls {@code job} until {@code condition} holds; fails if the job ends first or after {@code timeoutMs}. */
    static JobStatus awaitStatus(TrainingJob job, Predicate<JobStatus> condition, String what, long timeoutMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JobStatus s = job.status();
        while (System.currentTimeMillis() < deadline) {
            s = job.status();
            if (condition.test(s)) {
                return s;
            }
            if (s.state().ended()) {
                throw new AssertionError("job ended (" + s.state() + ": " + s.message() + ") before: " + what);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("timed out waiting for: " + what + "; last status " + s.state() + " step "
                + s.step() + " " + s.message());
    }
}
