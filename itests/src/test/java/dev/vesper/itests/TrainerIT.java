package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.vesper.api.optim.IncompatibleStateException;
import dev.vesper.api.optim.Optimizer;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.optim.StepContext;
import dev.vesper.api.optim.StepStats;
import dev.vesper.api.tensor.Parameter;
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
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
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

/**
 * The trainer in the real runtime: a job starts with AdamW, switches to Velvet and to another
 * activation mid-run, waits while the activation's bundle is stopped, resumes when it is started
 * again, and finishes with a finite loss lower than where it began.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrainerIT {
    private static final long TIMEOUT_MS = 120_000;

    private static JobStatus awaitStatus(TrainingJob job, Predicate<JobStatus> condition, String what)
            throws InterruptedException {
        return Jobs.awaitStatus(job, condition, what, TIMEOUT_MS);
    }

    @Inject
    private BundleContext context;

    @Inject
    private TrainingService trainer;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void swapsWaitsForAMissingActivationAndFinishesLower() throws Exception {
        List<StepEvent> steps = new CopyOnWriteArrayList<>();
        TrainingListener listener = steps::add;
        ServiceRegistration<TrainingListener> reg = context.registerService(TrainingListener.class, listener, null);
        try {
            TrainingJob job = trainer.start(smallRun());
            assertEquals(job, trainer.latest().orElseThrow());

            awaitStatus(job, s -> s.step() >= 20, "20 steps with adamw");
            job.pause();
            awaitStatus(job, s -> s.state() == JobState.PAUSED, "paused");
            assertEquals("adamw", job.status().optimizer());
            job.useOptimizer("velvet");
            job.useActivation("gelu");
            job.resume();
            awaitStatus(job, s -> "velvet".equals(s.optimizer()) && "gelu".equals(s.activation()) && s.step() >= 30,
                    "switched to velvet and gelu");

            Bundle gelu = bundleOf("activation-gelu");
            job.pause();
            awaitStatus(job, s -> s.state() == JobState.PAUSED, "paused again");
            gelu.stop();
            job.resume();
            JobStatus waiting = awaitStatus(job, s -> s.state() == JobState.WAITING, "waiting for gelu");
            assertTrue(waiting.message(), waiting.message().contains("gelu"));
            long stepWhileWaiting = waiting.step();
            Thread.sleep(500);
            assertEquals("no step is taken while waiting", stepWhileWaiting, job.status().step());

            gelu.start();
            awaitStatus(job, s -> s.state() == JobState.RUNNING && s.step() > stepWhileWaiting, "resumed");

            JobStatus end = job.completion().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals(end.message(), JobState.FINISHED, end.state());
            assertEquals(end.totalSteps(), end.step());
            assertTrue("final loss is finite: " + end.loss(), Double.isFinite(end.loss()));
            double first = meanLoss(steps.subList(0, 5));
            double last = meanLoss(steps.subList(steps.size() - 5, steps.size()));
            assertTrue("loss went down: first " + first + ", last " + last, last < first);
            assertTrue(Files.isRegularFile(job.runDirectory().resolve("metrics.jsonl")));
            assertTrue(Files.isRegularFile(job.runDirectory().resolve("chart.png")));
            assertNotNull(job.lastCheckpoint());
            assertTrue(Files.isRegularFile(job.lastCheckpoint().resolve("model.safetensors")));
            assertNotNull("the finished model is there to sample from", job.model());
        } finally {
            reg.unregister();
        }
    }

    /** An optimizer service registered while the framework runs (as a bundle dropped into deploy/ would) is usable at once. */
    @Test
    public void anOptimizerRegisteredAtRunTimeIsUsableWithoutARestart() throws Exception {
        TrainingJob job = trainer.start(smallRun().steps(100_000));
        try {
            awaitStatus(job, s -> s.step() >= 3, "three steps");
            try {
                job.useOptimizer("plain-sgd");
                throw new AssertionError("an optimizer that is not installed is refused");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("plain-sgd"));
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(OptimizerFactory.PROPERTY, "plain-sgd");
            ServiceRegistration<OptimizerFactory> sgd = context.registerService(OptimizerFactory.class,
                    new PlainSgd(), props);
            try {
                // Adam moments do not fit plain SGD: switch with fresh state
                job.useOptimizer("plain-sgd", true);
                JobStatus switched = awaitStatus(job, s -> "plain-sgd".equals(s.optimizer()), "switched to plain-sgd");
                awaitStatus(job, s -> s.step() >= switched.step() + 3, "three steps with plain-sgd");
                sgd.unregister();
                sgd = null;
                JobStatus waiting = awaitStatus(job, s -> s.state() == JobState.WAITING, "waiting for plain-sgd");
                assertTrue(waiting.message(), waiting.message().contains("plain-sgd"));
            } finally {
                if (sgd != null) {
                    sgd.unregister();
                }
            }
        } finally {
            job.stop();
        }
        JobStatus end = job.completion().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(end.message(), JobState.STOPPED, end.state());
    }

    /** Plain SGD with no moments: a third-party optimizer that cannot take Adam's state. */
    private static final class PlainSgd implements OptimizerFactory {
        @Override
        public String name() {
            return "plain-sgd";
        }

        @Override
        public Optimizer create(List<Parameter> parameters, Map<String, Object> options) {
            return new Optimizer() {
                private long step;
                private double lr;

                @Override
                public String name() {
                    return "plain-sgd";
                }

                @Override
                public void step(StepContext context) {
                    lr = context.learningRate();
                    for (Parameter p : parameters) {
                        if (p.trainable() && p.value().hasGrad()) {
                            float[] w = p.value().data();
                            float[] g = p.value().grad();
                            for (int i = 0; i < p.value().size(); i++) {
                                w[p.value().offset() + i] -= (float) (lr * g[i]);
                            }
                        }
                    }
                    step++;
                }

                @Override
                public StepStats lastStats() {
                    return new StepStats(step, lr, 0, 0);
                }

                @Override
                public OptimizerState exportState() {
                    return new OptimizerState("plain-sgd", step, Map.of(), Map.of());
                }

                @Override
                public void importState(OptimizerState state) {
                    if (!"plain-sgd".equals(state.optimizer())) {
                        throw new IncompatibleStateException("plain-sgd has no moments to take from " + state.optimizer());
                    }
                    step = state.step();
                }
            };
        }
    }

    private static TrainingConfig smallRun() throws Exception {
        String shared = System.getProperty("vesper.shared");
        File corpus = new File(shared == null ? "<vesper.shared unset>" : shared, "data/tinyshakespeare.txt");
        if (!corpus.isFile()) {
            throw new AssertionError("missing " + corpus + ": the shared folder (system property vesper.shared) "
                    + "must hold data/tinyshakespeare.txt");
        }
        Path out = Files.createTempDirectory("vesper-trainer-it-");
        return new TrainingConfig()
                .model("tiny").modelOverride("layers", 2).modelOverride("d_model", 64).modelOverride("heads", 2)
                .modelOverride("context", 64)
                .optimizer("adamw").activation("era")
                .data(corpus.getAbsolutePath()).tokenizer("byte")
                .steps(300).batch(4).seq(32).learningRate(3e-3).warmup(5).schedule("constant")
                .evalEvery(50).evalBatches(2).checkpointEvery(100)
                .seed(11).out(out.resolve("run"));
    }

    private Bundle bundleOf(String nameContains) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().contains(nameContains)) {
                return b;
            }
        }
        throw new AssertionError("no bundle whose name contains " + nameContains);
    }

    private static double meanLoss(List<StepEvent> events) {
        double sum = 0;
        int n = 0;
        for (StepEvent e : events) {
            if (!e.skipped()) {
                sum += e.loss();
                n++;
            }
        }
        return sum / n;
    }
}
