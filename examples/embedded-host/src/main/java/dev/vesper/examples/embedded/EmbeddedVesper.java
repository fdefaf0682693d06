package dev.vesper.examples.embedded;

import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.host.Extension;
import dev.vesper.host.VesperHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 */
public final class EmbeddedVesper {
    private EmbeddedVesper() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        VesperHost.Builder builder = VesperHost.builder().shareApi();
        if (o.dist != null) {
            builder.distribution(o.dist);
        } else {
            builder.bundlesFromClasspath();
        }
        try (VesperHost host = builder.start()) {
            if (o.plugin != null) {
                System.out.println("installed plugin " + host.install(o.plugin).getSymbolicName());
                if (o.optimizer != null) {
                    host.awaitOptimizer(o.optimizer, java.time.Duration.ofSeconds(10));
                }
            }
            System.out.println("optimizers:  " + host.optimizers());
            System.out.println("activations: " + host.activations());

            TrainingJob job = host.train(config(o));
            System.out.println("training job " + job.id() + " in " + job.runDirectory());
            JobStatus end = job.completion().get(30, TimeUnit.MINUTES);
            System.out.printf("%s after %d steps: loss %.4f (perplexity %.2f) with %s/%s%n", end.state(), end.step(),
                    end.loss(), end.perplexity(), end.optimizer(), end.activation());
            if (end.state().ended() && job.model() != null) {
                String text = host.generate(job, o.prompt, SamplingOptions.defaults().withMaxTokens(80).withSeed(7));
                System.out.println("sample: " + o.prompt + text);
            }
        }
    }

    /** A small, fast run: a one-layer model on the built-in stories with the byte tokenizer. */
    static TrainingConfig config(Options o) {
        TrainingConfig c = new TrainingConfig()
                .model("tiny").modelOverride("layers", 1).modelOverride("d_model", 64).modelOverride("heads", 2)
                .modelOverride("context", 64)
                .data("builtin:stories").tokenizer("byte")
                .steps(o.steps).batch(4).seq(32).learningRate(3e-3).schedule("constant").warmup(5)
                .evalEvery(0).checkpointEvery(0).seed(42).out(o.out);
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

    static final class Options {
        Path dist;
        Path plugin;
        String optimizer;
        String activation;
        long steps = 40;
        String prompt = "Once upon a time";
        Path out;

        static Options parse(String[] args) throws java.io.IOException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--dist" -> o.dist = Path.of(v);
                    case "--plugin" -> o.plugin = Path.of(v);
                    case "--optimizer" -> o.optimizer = v;
                    case "--activation" -> o.activation = v;
                    case "--steps" -> o.steps = Long.parseLong(v);
                    case "--prompt" -> o.prompt = v;
                    case "--out" -> o.out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (known: --dist --plugin --optimizer --activation --steps --prompt --out)");
                }
            }
            if (o.out == null) {
                o.out = Files.createTempDirectory("vesper-embedded-").resolve("run");
            }
            return o;
        }
    }
}
