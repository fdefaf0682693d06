package dev.vesper.trainer.internal;

import dev.vesper.api.train.JobState;
import java.io.File;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The user's jobs of this launch, and their numbers. A component of its own that needs no service, so it
 * outlives the trainer's restarts: when a bundle the trainer uses stops or is updated, the trainer stops its
 * jobs and starts again, and jobs, status and chart still show those jobs. Only an update of this bundle
 * starts the list afresh; the numbers go on even then ({@link JobNumbers}). Immediate, so that DS keeps it
 * while no trainer uses it.
 */
@Component(service = JobRegistry.class, immediate = true)
public final class JobRegistry {
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    /** Run folders of the jobs that have not ended, also a job of the trainer before a restart still stopping. */
    private final java.util.Set<java.nio.file.Path> liveFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final JobNumbers numbers;
    /**
     * The counter of the jobs that are not the user's (the benchmark's warm-up): here rather than in the trainer,
     * as one that a restart stopped may still be listed (an interrupted benchmark does not forget it), and the
     * restarted trainer's next must not take its id.
     */
    private final AtomicInteger unnumbered = new AtomicInteger();

    /** Outside OSGi: numbers from 1, in memory. */
    public JobRegistry() {
        this.numbers = new JobNumbers(null, null);
    }

    @Activate
    public JobRegistry(BundleContext context) {
        File file = context.getDataFile("job-numbers");
        this.numbers = new JobNumbers(file == null ? null : file.toPath(), context.getProperty(Constants.FRAMEWORK_UUID));
    }

    /** The jobs, oldest first: the live list, which the trainer adds to and takes from. */
    public List<Job> jobs() {
        return jobs;
    }

    /** The live set of run folders in use: a job's is added as it starts and removed as it ends. */
    public java.util.Set<java.nio.file.Path> liveFolders() {
        return liveFolders;
    }

    /**
     * {@code job} has ended: the models of the jobs that ended before it stay only while memory allows, and so does
     * its own if it failed (nothing hands it over, and its weights may be what failed; its last checkpoint stays).
     * The latest ended job keeps its model for the hand-over, generate and chat; a running or paused one keeps its own.
     */
    public void ended(Job job) {
        boolean failed = job.status().state() == JobState.FAILED;
        for (Job other : jobs) {
            if (other.ended() && (other != job || failed)) {
                other.loosenModel();
            }
        }
    }

    public int nextNumber() {
        return numbers.next();
    }

    /** {@code name-N}, N counting on over every trainer of this registry: the id of a job that is not the user's. */
    public String nextUnnumbered(String name) {
        return name + "-" + unnumbered.incrementAndGet();
    }
}
