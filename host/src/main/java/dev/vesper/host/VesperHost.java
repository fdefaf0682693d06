package dev.vesper.host;

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
 * try (VesperHost host = VesperHost.builder().bundles(Path.of("vesper/bundle")).shareApi().start()) {
 *     TrainingService training = host.service(TrainingService.class, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class VesperHost implements AutoCloseable {
    private final Framework framework;
    private final Path storage;

    private VesperHost(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The framework's context, for anything the typed accessors do not cover. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The highest-ranked service of a type, waiting for it up to {@code timeout}. */
    public <T> T service(Class<T> type, Duration timeout) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(timeout.toMillis());
            if (service == null) {
                throw new IllegalStateException("no " + type.getSimpleName() + " service appeared within " + timeout);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName(), e);
        } finally {
            tracker.close();
        }
    }

    /** Blocks until the framework stops (for example when the interactive shell exits). */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework and waits for it, then removes its storage. */
    @Override
    public void close() {
        try {
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
        private boolean shareApi;

        private Builder() {
        }

        /** Installs and starts every bundle jar in {@code dir} (a distribution's {@code bundle/}). */
        public Builder bundles(Path dir) {
            bundleDirs.add(dir);
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

        /**
         * Exports the API packages from the system bundle (from this application's class path)
         * instead of installing the API bundle, so that service objects cross between the
         * application and the bundles without a {@link ClassCastException}.
         */
        public Builder shareApi() {
            shareApi = true;
            return this;
        }

        public VesperHost start() throws IOException, BundleException {
            List<BundleJar> jars = BundleJar.scan(bundleDirs);
            List<BundleJar> late = BundleJar.scan(lateBundleDirs);
            Map<String, String> config = new LinkedHashMap<>(properties);
            Path storage = Files.createTempDirectory("vesper-felix-");
            config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            if (shareApi) {
                BundleJar api = BundleJar.find(jars, ApiPackages.API_BUNDLE);
                config.merge(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, api.exportPackage(), (a, b) -> a + "," + b);
                jars.remove(api);
            }
            Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
            framework.start();
            VesperHost host = new VesperHost(framework, storage);
            try {
                startAll(framework.getBundleContext(), jars);
                startAll(framework.getBundleContext(), late);
            } catch (BundleException | RuntimeException e) {
                host.close();
                throw e;
            }
            return host;
        }

        private static void startAll(BundleContext context, List<BundleJar> jars) throws BundleException {
            List<Bundle> installed = new ArrayList<>();
            for (BundleJar jar : jars) {
                installed.add(context.installBundle(jar.path().toUri().toString()));
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
        }
    }

    static Path requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("bundle folder " + dir + " does not exist"));
        }
        return dir;
    }
}
