package dev.vesper.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import dev.vesper.examples.embedded.EmbeddedVesper.Options;
import dev.vesper.host.Extension;
import dev.vesper.host.VesperHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * Vesper embedded in a plain JUnit test, no Pax Exam: the real bundles of the built distribution (or
 * of this module's class path) start in this JVM, share the API classes with the test, train a tiny
 * model for a few steps and generate text. The example's command line is tested without the platform.
 */
class EmbeddedHostTest {
    @TempDir
    Path tmp;

    @Test
    void fromTheDistributionFolderTrainsGeneratesAndTakesAPlugin() throws Exception {
        try (VesperHost host = VesperHost.builder().distribution(distribution()).shareApi()
                .property("felix.fileinstall.dir", Files.createDirectories(tmp.resolve("deploy")).toString())
                .start()) {
            assertFalse(host.bundles().stream().anyMatch(b -> "dev.vesper.vesper-api".equals(b.getSymbolicName())),
                    "the API comes from the system bundle, not from a bundle of its own");
            Extension adamw = host.awaitOptimizer("adamw", Duration.ofSeconds(30));
            assertEquals("dev.vesper.vesper-optimizer-adamw", adamw.bundle());
            assertTrue(names(host.activations()).containsAll(List.of("era", "gelu", "relu", "silu")), host.activations().toString());
            assertFalse(names(host.optimizers()).contains("lion"));

            TrainingService training = host.training(); // a cast across the boundary: no ClassCastException
            TrainingJob job = host.train(tiny("adamw", "relu"));
            assertEquals(job, training.latest().orElseThrow());
            JobStatus end = finish(job);
            String text = host.generate(job, "Once upon a time", SamplingOptions.greedy(20));
            assertFalse(text.isEmpty(), "generated nothing");

            // the plugin half: a third-party bundle installed into the running host
            Bundle lion = host.install(lionJar());
            assertEquals(Bundle.ACTIVE, lion.getState());
            assertEquals("dev.vesper.examples.lion", host.awaitOptimizer("lion", Duration.ofSeconds(10)).bundle());
            host.awaitActivation("squared-relu", Duration.ofSeconds(10));
            JobStatus lionEnd = finish(host.train(tiny("lion", "squared-relu").learningRate(1e-3)));
            assertEquals("lion", lionEnd.optimizer());
            lion.uninstall();
            assertFalse(names(host.optimizers()).contains("lion"), "uninstalling removes the optimizer");
            assertTrue(Double.isFinite(end.loss()));
        }
    }

    @Test
    void fromTheClassPathFindsTheBundlesThere() throws Exception {
        VesperHost closed;
        try (VesperHost host = VesperHost.builder().bundlesFromClasspath()
                .property("felix.fileinstall.dir", Files.createDirectories(tmp.resolve("deploy")).toString())
                .start()) {
            closed = host;
            assertEquals("1", host.context().getProperty("org.apache.felix.eventadmin.LogLevel"),
                    "EventAdmin's warnings as it stops stay off the application's terminal, as in the distribution");
            List<String> installed = host.bundles().stream().map(Bundle::getSymbolicName).toList();
            assertTrue(installed.contains("dev.vesper.vesper-trainer"), installed.toString());
            assertFalse(installed.contains("org.apache.felix.gogo.jline"), "the interactive shell stays out: " + installed);
            assertFalse(installed.stream().anyMatch(n -> n.startsWith("junit") || n.startsWith("org.junit")), installed.toString());
            // the example plugin is a test dependency, so it is on the class path and gets installed too
            host.awaitOptimizer("lion", Duration.ofSeconds(30));
            TrainingJob job = host.train(tiny("lion", "squared-relu").learningRate(1e-3));
            finish(job);
            assertFalse(host.generate("Once", SamplingOptions.greedy(10)).isEmpty());
        }
        // it stopped cleanly: no bundle is left active, and a second close is harmless
        assertTrue(closed.bundles().stream().noneMatch(b -> b.getState() == Bundle.ACTIVE));
        closed.close();
    }

    @Test
    void typedAccessWithoutASharedApiIsRefusedWithAReason() throws Exception {
        try (VesperHost host = VesperHost.builder().bundles(distribution().resolve("bundle"))
                .property("felix.fileinstall.dir", Files.createDirectories(tmp.resolve("deploy")).toString())
                .start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, host::training);
            assertTrue(e.getMessage().contains("shareApi()"), e.getMessage());
            // the listings read service properties only, so they work without a shared API
            assertEquals("dev.vesper.vesper-optimizer-velvet", host.awaitOptimizer("velvet", Duration.ofSeconds(30)).bundle());
        }
    }

    // ---- the example's command line, without starting the platform

    @Test
    void helpAsksForTheUsageWhichListsEveryOptionWithItsDefault() throws Exception {
        assertTrue(Options.parse("--help").help);
        assertTrue(Options.parse("--steps", "3", "-h", "--bogus").help, "help wins over what follows it");
        Options defaults = Options.parse();
        assertFalse(defaults.help);
        for (String option : List.of("--dist", "--plugin", "--optimizer", "--activation", "--steps", "--prompt", "--out",
                "--help", "(default: " + defaults.steps + ")", "(default: " + defaults.prompt + ")")) {
            assertTrue(Options.USAGE.contains(option), option + " missing from the usage:\n" + Options.USAGE);
        }
    }

    @Test
    void parsesTheOptions() throws Exception {
        Options o = Options.parse("--steps", "7", "--optimizer", "lion", "--prompt", "Once", "--out", "runs/a");
        assertEquals(7, o.steps);
        assertEquals("lion", o.optimizer);
        assertEquals("Once", o.prompt);
        assertEquals(Path.of("runs/a"), o.out);
        assertNull(o.plugin);
        assertNull(Options.parse().out, "no --out: run() makes a temporary folder, parse() touches nothing");
    }

    @Test
    void aBadCommandLineIsOneMessageThatNamesTheCulprit() {
        assertBadUsage("unknown option --bogus (see --help)", "--bogus");
        assertBadUsage("unexpected argument lion (see --help)", "--steps", "3", "lion");
        assertBadUsage("--steps needs a value", "--steps");
        assertBadUsage("--out needs a value", "--out", "--steps", "3");
        assertBadUsage("--steps must be a positive whole number, not 'x'", "--steps", "x");
        assertBadUsage("--steps must be a positive whole number, not '0'", "--steps", "0");
        assertBadUsage("--steps must be a positive whole number, not '-3'", "--steps", "-3");
    }

    @Test
    void theProgramExitsWithStatus2AndOneErrorLineOnABadCommandLine() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedVesper.class.getName(), "--steps", "x")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(2, p.exitValue(), stderr);
        assertEquals("error: --steps must be a positive whole number, not 'x'" + System.lineSeparator(), stderr);
    }

    private static void assertBadUsage(String message, String... args) {
        Options.BadUsage e = assertThrows(Options.BadUsage.class, () -> Options.parse(args), String.join(" ", args));
        assertEquals(message, e.getMessage());
    }

    private TrainingConfig tiny(String optimizer, String activation) {
        return new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 64).modelOverride("heads", 2)
                .modelOverride("context", 64)
                .optimizer(optimizer).activation(activation)
                .data("builtin:stories").tokenizer("byte")
                .steps(5).batch(2).seq(32).learningRate(3e-3).schedule("constant").warmup(1)
                .evalEvery(0).checkpointEvery(0).seed(3).out(tmp.resolve("run-" + optimizer));
    }

    private static JobStatus finish(TrainingJob job) throws Exception {
        JobStatus end = job.completion().get(5, TimeUnit.MINUTES);
        assertEquals(JobState.FINISHED, end.state(), end.message());
        assertEquals(5, end.step());
        assertTrue(Double.isFinite(end.loss()), "loss " + end.loss());
        return end;
    }

    private static List<String> names(List<Extension> extensions) {
        return extensions.stream().map(Extension::name).toList();
    }

    static Path distribution() {
        Path dist = Path.of(System.getProperty("vesper.distribution", "<vesper.distribution unset>"));
        if (!Files.isDirectory(dist.resolve("bundle"))) {
            throw new AssertionError("no distribution at " + dist + ": build the distribution module first "
                    + "(mvn install -pl distribution -am)");
        }
        return dist;
    }

    private static Path lionJar() {
        Path jar = Path.of(System.getProperty("vesper.lion.jar", "<vesper.lion.jar unset>"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no example plugin at " + jar + ": build examples/lion-optimizer first");
        }
        return jar;
    }
}
