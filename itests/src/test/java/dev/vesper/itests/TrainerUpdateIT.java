package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A trainer restarted by an update of its bundle numbers its next job on from the last one, not from 1; one
 * restarted because a bundle it uses went also still lists the jobs it had.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrainerUpdateIT {
    private static final String TRAINER_BUNDLE = "dev.vesper.vesper-trainer";
    private static final String MODEL_BUNDLE = "dev.vesper.vesper-model";
    private static final String TRAINER = "(objectClass=" + TrainingService.class.getName() + ")";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void jobNumbersGoOnAfterTheTrainerBundleIsUpdated() throws Exception {
        TrainingJob first = finishedJob(config("first"));

        BundleUpdates.updateAndAwait(context, TRAINER_BUNDLE, TRAINER);

        TrainingJob second = finishedJob(config("second"));
        assertEquals(Integer.parseInt(first.id()) + 1, Integer.parseInt(second.id()));
    }

    @Test
    public void aTrainerRestartedAsABundleItUsesWentStillListsTheJobsBefore() throws Exception {
        TrainingJob first = finishedJob(config("before-restart"));

        BundleUpdates.restartAndAwait(context, MODEL_BUNDLE, TRAINER);

        ServiceReference<TrainingService> ref = context.getServiceReference(TrainingService.class);
        try {
            TrainingService restarted = context.getService(ref);
            TrainingJob listed = restarted.job(first.id()).orElseThrow(
                    () -> new AssertionError("job " + first.id() + " is not listed after the restart"));
            assertEquals(JobState.FINISHED, listed.status().state());
            assertEquals(first.id(), restarted.latest().orElseThrow().id());
        } finally {
            context.ungetService(ref);
        }
        TrainingJob next = finishedJob(config("after-restart"));
        assertEquals(Integer.parseInt(first.id()) + 1, Integer.parseInt(next.id()));
    }

    /** A job run to its end by the trainer registered now. */
    private TrainingJob finishedJob(TrainingConfig config) throws Exception {
        ServiceReference<TrainingService> ref = context.getServiceReference(TrainingService.class);
        assertNotNull("no TrainingService", ref);
        try {
            return finished(context.getService(ref).start(config));
        } finally {
            context.ungetService(ref);
        }
    }

    private static TrainingConfig config(String name) throws Exception {
        Path out = Files.createTempDirectory("vesper-trainer-update-it-").resolve(name);
        return new TrainingConfig().model("tiny").modelOverride("layers", 1).modelOverride("d_model", 32)
                .modelOverride("heads", 2).modelOverride("context", 32).optimizer("adamw").data("builtin:stories")
                .tokenizer("byte").steps(2).batch(2).seq(16).evalEvery(0).checkpointEvery(0).seed(3).out(out);
    }

    private static TrainingJob finished(TrainingJob job) throws Exception {
        JobStatus end = job.completion().get(120, TimeUnit.SECONDS);
        assertEquals(end.message(), JobState.FINISHED, end.state());
        return job;
    }
}
