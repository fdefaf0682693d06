package dev.vesper.host;

import dev.vesper.api.data.Tokenizer;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.JobState;
import dev.vesper.api.train.JobStatus;
import dev.vesper.api.train.TrainingConfig;
import dev.vesper.api.train.TrainingJob;
import dev.vesper.api.train.TrainingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A Felix framework started in this JVM with the Vesper bundles: the engine behind {@code bin/vesper},
 * and the way an application embeds Vesper as a plugin host.
 *
 * <pre>{@code
 * try (VesperHost host = VesperHost.builder().distribution(Path.of("vesper")).shareApi().start()) {
 *     TrainingJob job = host.train(new TrainingConfig().steps(50));
 *     job.completion().join();
 *     System.out.println(host.generate(job, "Once upon a time", SamplingOptions.greedy(40)));
 * }
 * }</pre>
 *
 * <p><b>Sharing the API.</b> The typed accessors ({@link #training()}, {@link #train}, {@link #generate})
 * hand the application objects that the bundles made. Their interfaces must be the same classes on
 * both sides, so the host is built with {@link Builder#shareApi()}: the system bundle exports the
 * {@code dev.vesper.api.*} packages of the application's class path (with the versions of that jar's
 * {@code Export-Package}), the bundles wire to them, and the API bundle is not installed. Without it,
 * the bundles would load their own copy of the API and a cast in the application would fail with a
 * {@link ClassCastException}; the accessors refuse with a clear message instead. The listings
 * ({@link #optimizers()}, {@link #activations()}) need no sharing: they read service properties, and
 * judge whether a service is usable against the copy of the API that the bundles are wired to.
 */
public final class VesperHost implements AutoCloseable {
    private final Framework framework;
    private final Path storage;
    private final boolean apiShared;
    private final Duration timeout;
    private final List<Bundle> started;
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new ConcurrentHashMap<>();

    /**
     * Stops the framework and deletes its cache when the JVM ends without {@link #close} (Ctrl-C in the embedding
     * application): running jobs then stop at their next step with a checkpoint, as they do on close.
     */
    private final Thread shutdownHook = new Thread(this::close, "vesper-host-shutdown");
    private boolean closed;

    private VesperHost(Framework framework, Path storage, boolean apiShared, Duration timeout) {
        this.framework = framework;
        this.storage = storage;
        this.apiShared = apiShared;
        this.timeout = timeout;
        this.started = new ArrayList<>();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The framework's context, for anything the typed accessors do not cover. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The bundles the host installed at start, in start order. */
    public List<Bundle> bundles() {
        return List.copyOf(started);
    }

    // ---- typed access

    /** The training service, waiting for it up to the builder's service timeout. */
    public TrainingService training() {
        requireSharedApi("training()");
        return service(TrainingService.class, timeout);
    }

    /** Starts a training job (see {@link TrainingService#start}), once the trainer is there. */
    public TrainingJob train(TrainingConfig config) {
        return training().start(config);
    }

    /**
     * Continues {@code prompt} with the model and tokenizer of {@code job}, which must have ended
     * (or be paused: the model is read between steps only). Returns the continuation, without the prompt.
     *
     * @throws IllegalStateException while the job is still running, or when it has no model
     * @throws IllegalArgumentException for an empty prompt
     */
    public String generate(TrainingJob job, String prompt, SamplingOptions options) {
        requireSharedApi("generate(...)");
        JobStatus s = job.status();
        if (!s.state().ended() && s.state() != JobState.PAUSED) {
            throw new IllegalStateException("job " + job.id() + " is " + s.state()
                    + ": wait for job.completion() or pause it before generating");
        }
        LanguageModel model = job.model();
        Tokenizer tokenizer = job.tokenizer();
        if (model == null || tokenizer == null) {
            java.nio.file.Path checkpoint = job.lastCheckpoint();
            throw new IllegalStateException("job " + job.id() + " has no model to sample from (" + s.state()
                    + (s.message() == null ? "" : ": " + s.message()) + ")" + (checkpoint == null ? ""
                    : "; its last checkpoint holds it: " + checkpoint));
        }
        int[] ids = tokenizer.encode(prompt);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        return tokenizer.decode(model.generate(ids, options.stoppingAt(tokenizer.endOfText()), (i, token) -> { }));
    }

    /** {@link #generate(TrainingJob, String, SamplingOptions)} with the most recently started job. */
    public String generate(String prompt, SamplingOptions options) {
        TrainingJob job = training().latest()
                .orElseThrow(() -> new IllegalStateException("no training job yet: start one with train(...)"));
        return generate(job, prompt, options);
    }

    /**
     * The registered optimizers ({@code vesper.optimizer}), by name, each saying whether training can use
     * it ({@link Extension#problem()}). Finding out gets each service and releases it at once, which
     * creates a component that is not active yet; one that fails to activate logs its failure each time.
     */
    public List<Extension> optimizers() {
        return optimizerExtensions().list();
    }

    /** The registered activations ({@code vesper.activation}), by name, as {@link #optimizers()} lists them. */
    public List<Extension> activations() {
        return activationExtensions().list();
    }

    /**
     * Waits until a usable optimizer of that name is registered, up to {@code wait}.
     *
     * @throws IllegalStateException on timeout, with the reason when one of that name is registered but unusable
     */
    public Extension awaitOptimizer(String name, Duration wait) throws InterruptedException {
        return optimizerExtensions().await(name, wait);
    }

    /** Waits until a usable activation of that name is registered, up to {@code wait}, as {@link #awaitOptimizer}. */
    public Extension awaitActivation(String name, Duration wait) throws InterruptedException {
        return activationExtensions().await(name, wait);
    }

    /**
     * Installs and starts a bundle jar, such as a third-party optimizer: the plugin half of the host.
     * Its services join the registry as they would from the distribution's {@code deploy/} folder.
     */
    public Bundle install(Path jar) throws BundleException {
        Bundle b = context().installBundle(jar.toAbsolutePath().toUri().toString());
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            b.start();
        }
        return b;
    }

    /**
     * The highest-ranked service of a type, waiting for it up to {@code timeout}. The host holds on to
     * it until it closes: releasing the last use of a delayed DS component deactivates it, and an
     * application must not be left calling an instance that Declarative Services has torn down.
     */
    public <T> T service(Class<T> type, Duration timeout) {
        @SuppressWarnings("unchecked")
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> tr = new ServiceTracker<>(context(), type, null);
            tr.open();
            return tr;
        });
        try {
            T service = tracker.waitForService(timeout.toMillis());
            if (service == null) {
                throw new IllegalStateException("no " + type.getSimpleName() + " service appeared within " + timeout);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName(), e);
        }
    }

    private void requireSharedApi(String what) {
        if (!apiShared) {
            throw new IllegalStateException(what + " hands over objects made by the bundles: build the host with "
                    + "shareApi() (or bundlesFromClasspath()) so that both sides use the same API classes");
        }
    }

    private Extensions optimizerExtensions() {
        return new Extensions(context(), OptimizerFactory.class.getName(), OptimizerFactory.PROPERTY, "optimizer");
    }

    private Extensions activationExtensions() {
        return new Extensions(context(), Activation.class.getName(), Activation.PROPERTY, "activation");
    }

    // ---- life cycle

    /** Blocks until the framework stops (for example when the interactive shell exits). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework and waits for it, then removes its storage. Calling it again does nothing. */
    @Override
    public void close() {
        // the application's close and the shutdown hook may both come: one stops, the other waits for it
        synchronized (shutdownHook) {
            if (closed) {
                return;
            }
            closed = true;
            stop();
        }
    }

    private void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the JVM is going down: the hook may be what runs this
        }
        try {
            trackers.values().forEach(ServiceTracker::close);
            trackers.clear();
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException e) {
            throw new IllegalStateException("framework did not stop cleanly: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(storage);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leaving a temporary folder behind is harmless
        }
    }

    /** Configures and starts a host. */
    public static final class Builder {
        private final List<Path> bundleDirs = new ArrayList<>();
        private final List<Path> lateBundleDirs = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> classpathExcludes = new ArrayList<>();
        private Path distribution;
        private boolean fromClasspath;
        private boolean shareApi;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * A distribution folder (as {@code distribution/target/vesper-dist/vesper}, or an unpacked
         * tar.gz): its {@code bundle/} jars, {@code conf/vesper.properties}, and File Install watching
         * its {@code deploy/} folder, exactly as {@code bin/vesper} runs it (without the shell).
         */
        public Builder distribution(Path home) {
            distribution = home.toAbsolutePath().normalize();
            bundleDirs.add(distribution.resolve("bundle"));
            return this;
        }

        /** Installs and starts every bundle jar in {@code dir} (a distribution's {@code bundle/}). */
        public Builder bundles(Path dir) {
            bundleDirs.add(dir);
            return this;
        }

        /**
         * Installs and starts the bundle jars found on this application's class path (every jar whose
         * manifest has a {@code Bundle-SymbolicName}, less the framework, this host, the API, the
         * interactive shell and test engines; see {@link #excludeFromClasspath}). Implies
         * {@link #shareApi()}. The simplest class path is a dependency on the
         * {@code dev.vesper:vesper-distribution} pom, which lists exactly the runtime's bundles.
         */
        public Builder bundlesFromClasspath() {
            fromClasspath = true;
            shareApi = true;
            return this;
        }

        /** Bundle symbolic names to leave out of {@link #bundlesFromClasspath()}; a trailing {@code *} matches a prefix. */
        public Builder excludeFromClasspath(String... symbolicNames) {
            classpathExcludes.addAll(List.of(symbolicNames));
            return this;
        }

        /** Bundles started after all others, such as the interactive shell. */
        public Builder lateBundles(Path dir) {
            lateBundleDirs.add(dir);
            return this;
        }

        /** A framework property. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> map) {
            properties.putAll(map);
            return this;
        }

        /** How long the typed accessors wait for a service to appear (30 s by default). */
        public Builder serviceTimeout(Duration wait) {
            timeout = wait;
            return this;
        }

        /**
         * Exports the API packages from the system bundle (from this application's class path)
         * instead of installing the API bundle, so that service objects cross between the
         * application and the bundles without a {@link ClassCastException}. The application must
         * have the {@code dev.vesper:vesper-api} jar on its class path.
         */
        public Builder shareApi() {
            shareApi = true;
            return this;
        }

        private static final String FILE_INSTALL = "org.apache.felix.fileinstall";

        /**
         * Framework properties the distribution's conf/vesper.properties also sets, for a host without it: Felix
         * EventAdmin printed "Event Task Processing Interrupted" and a RejectedExecutionException to the
         * application's terminal now and then as it stopped (no Vesper bundle uses EventAdmin).
         */
        static final Map<String, String> QUIET = Map.of("org.apache.felix.eventadmin.LogLevel", "1");

        public VesperHost start() throws IOException, BundleException {
            List<BundleJar> jars = BundleJar.scan(bundleDirs);
            if (fromClasspath) {
                jars.addAll(ClasspathBundles.scan(VesperHost.class.getClassLoader(), classpathExcludes));
            }
            if (jars.isEmpty()) {
                throw new IllegalStateException("no bundles to start: give distribution(...), bundles(...) or "
                        + "bundlesFromClasspath()");
            }
            List<BundleJar> late = BundleJar.scan(lateBundleDirs);
            Map<String, String> config = new LinkedHashMap<>(QUIET);
            if (distribution != null) {
                config.putAll(Launcher.configuration(distribution));
            }
            config.putAll(properties);
            Path storage = Files.createTempDirectory("vesper-felix-");
            config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            if (shareApi) {
                config.merge(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiPackages.exportedByClasspath(),
                        (a, b) -> a + "," + b);
                jars.removeIf(j -> ApiPackages.API_BUNDLE.equals(j.symbolicName()));
            }
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
            framework.start();
            VesperHost host = new VesperHost(framework, storage, shareApi, timeout);
            Runtime.getRuntime().addShutdownHook(host.shutdownHook);
            try {
                host.started.addAll(startAll(framework.getBundleContext(), jars));
                host.started.addAll(startAll(framework.getBundleContext(), late));
            } catch (BundleException | RuntimeException e) {
                host.close();
                throw e;
            }
            return host;
        }

        private static List<Bundle> startAll(BundleContext context, List<BundleJar> jars) throws BundleException {
            List<Bundle> installed = new ArrayList<>();
            for (BundleJar jar : jars) {
                installed.add(context.installBundle(jar.path().toUri().toString()));
            }
            // File Install last: it starts what deploy/ holds at once, and a plug-in that fails is then reported
            // through the OSGi log, which the terminal shows in its own words, not on stderr with a stack trace
            List<Bundle> inOrder = new ArrayList<>(installed);
            inOrder.sort(Comparator.comparing(b -> FILE_INSTALL.equals(b.getSymbolicName())));
            for (Bundle b : inOrder) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            return installed;
        }
    }

    static Path requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("bundle folder " + dir + " does not exist"));
        }
        return dir;
    }
}
