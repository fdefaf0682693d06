package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.StepEvent;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingListener;
import dev.vesper.api.train.TrainingService;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A third-party bundle in a running job: the example bundle of {@code examples/lion-optimizer},
 * built against vesper-api alone, is installed while a job trains; the job switches to its
 * {@code lion} optimizer and {@code squared-relu} activation mid-run and its loss stays finite. When
 * the bundle is uninstalled the job waits with a message naming what went away, takes no step, and
 * resumes once the bundle is installed again. Dropped into the deploy folder, the jar is picked up by
 * File Install, and removing it removes the services.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExtensionIT {
    private static final long TIMEOUT_MS = 120_000;

    private static JobStatus awaitStatus(TrainingJob job, Predicate<JobStatus> condition, String what)
            throws InterruptedException {
        return Jobs.awaitStatus(job, condition, what, TIMEOUT_MS);
    }
    private static final String LION = "(&(objectClass=dev.vesper.api.optim.OptimizerFactory)(vesper.optimizer=lion))";
    private static final String SQUARED_RELU = "(&(objectClass=dev.vesper.api.model.Activation)(vesper.activation=squared-relu))";

    @Inject
    private BundleContext context;

    @Inject
    private TrainingService trainer;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void installsSwitchesToAndLosesAThirdPartyBundleMidRun() throws Exception {
        File jar = exampleJar();
        List<StepEvent> steps = new CopyOnWriteArrayList<>();
        TrainingListener listener = steps::add;
        ServiceRegistration<TrainingListener> reg = context.registerService(TrainingListener.class, listener, null);
        TrainingJob job = trainer.start(endlessRun());
        try {
            awaitStatus(job, s -> s.step() >= 10, "10 steps with adamw");
            assertFalse("no lion yet", registered(LION));

            Bundle lion = context.installBundle(jar.toURI().toString());
            lion.start();
            assertEquals("dev.vesper.examples.lion", lion.getSymbolicName());
            assertNotNull("lion registered", await(LION));
            assertNotNull("squared-relu registered", await(SQUARED_RELU));

            job.useOptimizer("lion");
            job.useActivation("squared-relu");
            JobStatus switched = awaitStatus(job,
                    s -> "lion".equals(s.optimizer()) && "squared-relu".equals(s.activation()), "switched to lion");
            long from = switched.step();
            JobStatus later = awaitStatus(job, s -> s.step() >= from + 30, "30 steps with lion and squared-relu");
            assertEquals("lion", later.optimizer());
            assertTrue("loss is finite with lion: " + later.loss(), Double.isFinite(later.loss()));
            List<StepEvent> withLion = steps.stream().filter(e -> e.step() > from + 1).toList();
            assertFalse(withLion.isEmpty());
            for (StepEvent e : withLion) {
                assertFalse("step " + e.step() + " was skipped (non-finite)", e.skipped());
                assertTrue("step " + e.step() + " loss " + e.loss(), Double.isFinite(e.loss()));
            }

            lion.uninstall();
            refresh(lion);
            JobStatus waiting = awaitStatus(job, s -> s.state() == JobState.WAITING, "waiting for lion");
            assertTrue(waiting.message(), waiting.message().contains("'lion'"));
            Thread.sleep(500);
            assertEquals("no step is taken while waiting", waiting.step(), job.status().step());
            assertFalse("lion went away with its bundle", registered(LION));

            Bundle again = context.installBundle(jar.toURI().toString());
            again.start();
            awaitStatus(job, s -> s.state() == JobState.RUNNING && s.step() > waiting.step() + 5,
                    "resumed with the reinstalled bundle");
            assertEquals("lion", job.status().optimizer());
            assertTrue(Double.isFinite(job.status().loss()));
            again.uninstall();
            refresh(again);
        } finally {
            job.stop();
            JobStatus end = job.completion().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertTrue(end.state().ended());
            reg.unregister();
        }
    }

    /**
     * The same bundle through the distribution's deploy folder, as a user drops it in: File Install
     * installs it (lion and squared-relu appear) and uninstalls it when the file goes (they go).
     */
    @Test
    public void aJarCopiedIntoDeployAppearsAndGoesAwayWhenRemoved() throws Exception {
        String dir = context.getProperty("felix.fileinstall.dir");
        assertNotNull("File Install has a deploy folder", dir);
        Path deployed = Path.of(dir).resolve("vesper-example-lion.jar");
        Path partial = Path.of(dir).resolve("vesper-example-lion.jar.part");
        Files.copy(exampleJar().toPath(), partial);
        Files.move(partial, deployed); // whole file at once: File Install never sees half a jar
        try {
            assertNotNull("lion registered from deploy/", await(LION));
            assertNotNull("squared-relu registered from deploy/", await(SQUARED_RELU));
        } finally {
            Files.delete(deployed);
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while ((registered(LION) || registered(SQUARED_RELU)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertFalse("lion is gone with its jar", registered(LION));
        assertFalse("squared-relu is gone with its jar", registered(SQUARED_RELU));
    }

    /** The example bundle as its own build left it: examples/lion-optimizer/target/vesper-example-lion-*.jar. */
    private static File exampleJar() {
        File dist = new File(System.getProperty("vesper.distribution", "<vesper.distribution unset>"));
        File root = dist.getAbsoluteFile().getParentFile().getParentFile().getParentFile().getParentFile();
        File target = new File(root, "examples/lion-optimizer/target");
        File[] jars = target.listFiles((d, n) -> n.startsWith("vesper-example-lion-") && n.endsWith(".jar")
                && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar"));
        if (jars == null || jars.length == 0) {
            throw new AssertionError("no example bundle in " + target + ": build examples/lion-optimizer first");
        }
        Arrays.sort(jars);
        return jars[jars.length - 1];
    }

    private static TrainingConfig endlessRun() throws Exception {
        Path out = Files.createTempDirectory("vesper-extension-it-");
        return new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 64).modelOverride("heads", 2)
                .modelOverride("context", 64)
                .optimizer("adamw").activation("relu")
                .data("builtin:stories").tokenizer("byte")
                .steps(1_000_000).batch(4).seq(32).learningRate(1e-3).warmup(5).schedule("constant")
                .evalEvery(0).checkpointEvery(0)
                .seed(21).out(out.resolve("run"));
    }

    /** What File Install does after it uninstalls a bundle: release its wiring. */
    private void refresh(Bundle b) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> done.countDown());
        assertTrue("refresh finished", done.await(30, TimeUnit.SECONDS));
    }

    private boolean registered(String filter) throws Exception {
        return context.getServiceReferences((String) null, filter) != null;
    }

    private Object await(String filter) throws Exception {
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context, context.createFilter(filter), null);
        t.open();
        try {
            return t.waitForService(TIMEOUT_MS);
        } finally {
            t.close();
        }
    }
}
