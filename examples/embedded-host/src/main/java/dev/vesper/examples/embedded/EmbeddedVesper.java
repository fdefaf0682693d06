package dev.vesper.examples.embedded;

import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.host.VesperHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.BundleException;

/**
 * An ordinary Java application that embeds Vesper: it starts the platform in its own JVM, lists the
 * optimizers and activations, optionally installs a plugin bundle, trains a small model for a few
 * steps and samples text from it.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar vesper-example-embedded-host-1.0.0-SNAPSHOT.jar \
 *        [--dist &lt;distribution folder&gt;] [--plugin &lt;bundle.jar&gt;] [--optimizer lion] [--activation squared-relu]
 *        [--steps 40] [--prompt "Once upon a time"] [--out &lt;run folder&gt;]
 * </pre>
 * Without {@code --dist} the bundles come from the application's own class path (its {@code lib/}).
 * Exit status: 0 when the run finished, 1 when the platform refused it or the training failed, 2 for
 * a bad command line.
 */
public final class EmbeddedVesper {
    private EmbeddedVesper() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.BadUsage e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(Options.USAGE);
            return;
        }
        System.exit(run(o));
    }

    /** Runs the platform with these options; returns the exit status. */
    static int run(Options o) throws Exception {
        // check the paths first, so that a typo is named plainly instead of by a Felix exception
        if (o.dist != null && !Files.isDirectory(o.dist.resolve("bundle"))) {
            return fail("--dist " + o.dist + ": not a Vesper distribution (no bundle/ folder in it)");
        }
        if (o.plugin != null && !Files.isRegularFile(o.plugin)) {
            return fail("--plugin " + o.plugin + ": no such file");
        }
        if (o.plugin != null && !isBundle(o.plugin)) {
            return fail("--plugin " + o.plugin + ": not an OSGi bundle (a jar whose manifest has a Bundle-SymbolicName)");
        }
        Path temporary = o.out == null ? Files.createTempDirectory("vesper-embedded-") : null;
        // Ctrl-C: the host's own hook stops the platform, which ends the job; this one holds the JVM until the
        // code below has said so and deleted the temporary run folder
        java.util.concurrent.CountDownLatch cleanedUp = new java.util.concurrent.CountDownLatch(1);
        Thread waitForCleanUp = new Thread(() -> {
            try {
                cleanedUp.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vesper-example-exit");
        Runtime.getRuntime().addShutdownHook(waitForCleanUp);
        Path out = temporary == null ? o.out : temporary.resolve("run");

        VesperHost.Builder builder = VesperHost.builder().shareApi();
        if (o.dist != null) {
            builder.distribution(o.dist);
        } else {
            builder.bundlesFromClasspath();
        }
        try (VesperHost host = builder.start()) { // every return below stops the platform on its way out
            if (o.plugin != null) {
                try {
                    System.out.println("installed plugin " + host.install(o.plugin).getSymbolicName());
                    if (o.optimizer != null) {
                        host.awaitOptimizer(o.optimizer, Duration.ofSeconds(10)); // its services come up asynchronously
                    }
                } catch (BundleException e) {
                    return fail("--plugin " + o.plugin + ": " + e.getMessage()); // e.g. it imports a package nothing exports
                } catch (IllegalStateException e) {
                    return fail(e.getMessage()); // no usable --optimizer: the message says why
                }
            }
            System.out.println("optimizers:  " + host.optimizers());
            System.out.println("activations: " + host.activations());

            TrainingJob job;
            try {
                job = host.train(config(o, out));
            } catch (IllegalArgumentException e) {
                return fail(e.getMessage()); // the trainer refuses the configuration, e.g. an optimizer that is not installed
            }
            System.out.println("training job " + job.id() + " in " + job.runDirectory());
            JobStatus end = job.completion().get(30, TimeUnit.MINUTES);
            if (end.state() != JobState.FINISHED) {
                return fail("training job " + job.id() + " " + end.state() + (end.message() == null ? "" : ": " + end.message()));
            }
            System.out.printf("%s after %d steps: loss %.4f (perplexity %.2f) with %s/%s%n", end.state(), end.step(),
                    end.loss(), end.perplexity(), end.optimizer(), end.activation());
            String text = host.generate(job, o.prompt, SamplingOptions.defaults().withMaxTokens(80).withSeed(7));
            System.out.println("sample: " + o.prompt + text);
            return 0;
        } finally {
            if (temporary != null) {
                deleteTree(temporary);
                System.out.println("the run folder was temporary and is deleted; pass --out <folder> to keep it");
            }
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(waitForCleanUp);
            } catch (IllegalStateException exiting) {
                // Ctrl-C: the hook is running, and now ends
            }
        }
    }

    /** A small, fast run: a one-layer model on the built-in stories with the byte tokenizer. */
    static TrainingConfig config(Options o, Path out) {
        TrainingConfig c = new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 64).modelOverride("heads", 2)
                .modelOverride("context", 64)
                .data("builtin:stories").tokenizer("byte")
                .steps(o.steps).batch(4).seq(32).learningRate(3e-3).schedule("constant").warmup(5)
                .evalEvery(0).checkpointEvery(0).seed(42).out(out);
        if (o.optimizer != null) {
            c.optimizer(o.optimizer);
            if (o.optimizer.equals("lion")) {
                c.learningRate(1e-3); // Lion wants a rate 3-10x below AdamW's
            }
        }
        if (o.activation != null) {
            c.activation(o.activation);
        }
        return c;
    }

    private static int fail(String message) {
        System.err.println("error: " + message);
        return 1;
    }

    /** Felix would take any jar, even any zip, as an old-style bundle: a bundle names itself in its manifest. */
    private static boolean isBundle(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            return m != null && m.getMainAttributes().getValue("Bundle-SymbolicName") != null;
        } catch (IOException e) {
            return false; // not a jar at all
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The command line. {@link #parse} only reads its arguments, so it can be tested without the platform. */
    static final class Options {
        static final String USAGE = """
                usage: java [--add-modules jdk.incubator.vector] -jar vesper-example-embedded-host-<version>.jar [options]

                Starts the Vesper platform in this JVM, trains a tiny model a few steps and samples text from it.

                  --dist <folder>      start from a distribution folder (default: the bundles on the class path)
                  --plugin <jar>       install and start a bundle before training (default: none)
                  --optimizer <name>   the optimizer (default: velvet)
                  --activation <name>  the activation (default: the model's, era)
                  --steps <n>          how many training steps (default: 40)
                  --prompt <text>      the text to continue (default: Once upon a time)
                  --out <folder>       the run folder, kept (default: a temporary folder, deleted at the end)
                  -h, --help           print this help and exit

                Exit status: 0 finished, 1 the platform refused the run or the training failed, 2 bad command line.
                """;

        boolean help;
        Path dist;
        Path plugin;
        String optimizer;
        String activation;
        long steps = 40;
        String prompt = "Once upon a time";
        Path out;

        /** A command line that cannot be run: reported in one line, exit status 2. */
        static final class BadUsage extends Exception {
            BadUsage(String message) {
                super(message);
            }
        }

        static Options parse(String... args) throws BadUsage {
            Options o = new Options();
            Deque<String> rest = new ArrayDeque<>(List.of(args));
            while (!rest.isEmpty()) {
                String a = rest.poll();
                switch (a) {
                    case "-h", "--help" -> {
                        o.help = true;
                        return o;
                    }
                    case "--dist" -> o.dist = Path.of(value(a, rest));
                    case "--plugin" -> o.plugin = Path.of(value(a, rest));
                    case "--optimizer" -> o.optimizer = value(a, rest);
                    case "--activation" -> o.activation = value(a, rest);
                    case "--steps" -> o.steps = positive(a, value(a, rest));
                    case "--prompt" -> o.prompt = value(a, rest);
                    case "--out" -> o.out = Path.of(value(a, rest));
                    default -> throw new BadUsage((a.startsWith("-") ? "unknown option " : "unexpected argument ") + a
                            + " (see --help)");
                }
            }
            return o;
        }

        /** The option's value: the next argument, unless there is none or it is the next option. */
        private static String value(String option, Deque<String> rest) throws BadUsage {
            if (rest.isEmpty() || rest.peek().startsWith("--")) {
                throw new BadUsage(option + " needs a value");
            }
            return rest.poll();
        }

        private static long positive(String option, String value) throws BadUsage {
            try {
                long n = Long.parseLong(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new BadUsage(option + " must be a positive whole number, not '" + value + "'");
        }
    }
}
