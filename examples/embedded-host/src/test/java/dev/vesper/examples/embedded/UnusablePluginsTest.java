package dev.vesper.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.examples.embedded.plugins.ExplodingOptimizer;
import dev.vesper.examples.embedded.plugins.StubOptimizer;
import dev.vesper.host.Extension;
import dev.vesper.host.VesperHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.ServiceReference;

/**
 * Plug-ins that the registry lists but nothing can use, installed through {@link VesperHost} next to the
 * real bundles: one whose component throws in its constructor, and one whose bundle carries its own copy
 * of the API. The listing marks each with why, and waiting for one says why it never comes. The API's
 * copy is judged right both when the application shares it (the system bundle exports it) and when the
 * API bundle serves it (and the system bundle, which can load the application's copy, exports none).
 */
class UnusablePluginsTest {
    private static final String OPTIMIZER = "dev.vesper.api.optim.OptimizerFactory";
    private static final String FAILED = "its component failed to activate (Declarative Services logs why)";
    private static final String OWN_COPY = "bundle dev.vesper.examples.owncopy carries its own copy of "
            + "dev.vesper.api.optim; it must import the package instead";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "shareApi: {0}")
    @ValueSource(booleans = {true, false})
    void theListingSaysWhichPluginsCannotBeUsedAndWhy(boolean shareApi) throws Exception {
        try (VesperHost host = start(shareApi)) {
            installPlugins(host);

            Map<String, Extension> optimizers = byName(host.optimizers());
            assertEquals(FAILED, optimizers.get("exploding").problem(), optimizers.toString());
            assertFalse(optimizers.get("exploding").usable());
            assertEquals(OWN_COPY, optimizers.get("own-copy").problem(), optimizers.toString());
            assertTrue(optimizers.get("own-copy").toString().endsWith(" not usable: " + OWN_COPY));
            for (String usable : List.of("adamw", "velvet", "stub")) {
                assertNull(optimizers.get(usable).problem(), optimizers.toString());
                assertTrue(optimizers.get(usable).usable());
            }
            assertTrue(host.activations().stream().allMatch(Extension::usable), host.activations().toString());
            assertTrue(host.activations().size() >= 4, host.activations().toString());
            assertFalse(holdsAnOptimizer(host), "listing gets each service and must release it");
        }
    }

    @ParameterizedTest(name = "shareApi: {0}")
    @ValueSource(booleans = {true, false})
    void waitingForAnUnusablePluginSaysWhyItNeverComes(boolean shareApi) throws Exception {
        try (VesperHost host = start(shareApi)) {
            installPlugins(host);

            assertEquals("dev.vesper.examples.stub", host.awaitOptimizer("stub", Duration.ZERO).bundle());
            String exploding = awaitFails(host, "exploding");
            assertTrue(exploding.startsWith("optimizer 'exploding' is registered but not usable (waited PT0S): "
                    + FAILED + "; installed: ["), exploding);
            String ownCopy = awaitFails(host, "own-copy");
            assertTrue(ownCopy.startsWith("optimizer 'own-copy' is registered but not usable (waited PT0S): " + OWN_COPY
                    + "; installed: ["), ownCopy);
            assertTrue(ownCopy.contains("stub (dev.vesper.examples.stub 1.0.0)"), ownCopy);
            assertFalse(ownCopy.contains("exploding"), "installed lists the usable ones: " + ownCopy);
            assertTrue(awaitFails(host, "nope").startsWith("no optimizer 'nope' appeared within PT0S; installed: ["));
            assertFalse(holdsAnOptimizer(host), "waiting gets each service and must release it");
        }
    }

    private VesperHost start(boolean shareApi) throws Exception {
        VesperHost.Builder builder = VesperHost.builder().bundles(EmbeddedHostTest.distribution().resolve("bundle"))
                .property("felix.fileinstall.dir", Files.createDirectories(tmp.resolve("deploy")).toString());
        return (shareApi ? builder.shareApi() : builder).start();
    }

    /** The two broken plug-ins, and one built the same way that works. */
    private void installPlugins(VesperHost host) throws Exception {
        host.install(PluginJars.importing(tmp, "dev.vesper.examples.exploding", ExplodingOptimizer.class, "exploding"));
        host.install(PluginJars.embeddingTheApi(tmp, "dev.vesper.examples.owncopy", StubOptimizer.class, "own-copy",
                apiJar()));
        host.install(PluginJars.importing(tmp, "dev.vesper.examples.stub", StubOptimizer.class, "stub"));
        for (String name : List.of("exploding", "own-copy", "stub", "adamw", "velvet")) {
            awaitRegistered(host, name);
        }
    }

    private static String awaitFails(VesperHost host, String name) {
        return assertThrows(IllegalStateException.class, () -> host.awaitOptimizer(name, Duration.ZERO)).getMessage();
    }

    /** Waits for the registration itself, usable or not: the listing is what the tests check. */
    private static void awaitRegistered(VesperHost host, String name) throws Exception {
        String filter = "(&(objectClass=" + OPTIMIZER + ")(vesper.optimizer=" + name + "))";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (host.context().getAllServiceReferences(null, filter) == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertNotNull(host.context().getAllServiceReferences(null, filter), name + " is registered");
    }

    /** Whether the application (the system bundle) still uses an optimizer service. */
    private static boolean holdsAnOptimizer(VesperHost host) throws Exception {
        ServiceReference<?>[] refs = host.context().getAllServiceReferences(OPTIMIZER, null);
        return Stream.of(refs).map(ServiceReference::getUsingBundles).filter(b -> b != null)
                .flatMap(Arrays::stream).anyMatch(b -> b.getBundleId() == 0);
    }

    private static Map<String, Extension> byName(List<Extension> extensions) {
        return extensions.stream().collect(Collectors.toMap(Extension::name, Function.identity()));
    }

    private static Path apiJar() throws Exception {
        try (Stream<Path> jars = Files.list(EmbeddedHostTest.distribution().resolve("bundle"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("vesper-api-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no vesper-api jar in the distribution"));
        }
    }
}
