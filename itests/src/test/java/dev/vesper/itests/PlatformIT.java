package dev.vesper.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** The distribution's bundle set boots, registers its services and survives restarts of a bundle. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(VesperRuntime.distribution());
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " is " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertEquals("every distribution bundle is installed", VesperRuntime.bundleJars().length,
                countDistributionBundles());
    }

    @Test
    public void coreServicesAreRegistered() throws Exception {
        for (String kind : CoreServices.KINDS) {
            assertNotNull("no " + kind + " service", await(kind));
        }
        assertNotNull(await(CommandProcessor.class.getName()));
    }

    @Test
    public void restartingOneBundleReRegistersItsServicesAndLeavesTheRest() throws Exception {
        Bundle velvet = bundle("dev.vesper.vesper-optimizer-velvet");
        String velvetFilter = "(&(objectClass=dev.vesper.api.optim.OptimizerFactory)(vesper.optimizer=velvet))";
        assertNotNull(awaitService(velvetFilter));
        List<String> before = servicesOfOtherBundles(velvet);

        velvet.stop();
        assertNull("velvet is unregistered while its bundle is stopped", find(velvetFilter));
        assertNotNull("adamw stays", find("(vesper.optimizer=adamw)"));
        assertEquals(before, servicesOfOtherBundles(velvet));

        velvet.start();
        assertNotNull("velvet is back", awaitService(velvetFilter));

        velvet.update();
        assertEquals(Bundle.ACTIVE, velvet.getState());
        assertNotNull("velvet is back after an update", awaitService(velvetFilter));
        assertEquals(before, servicesOfOtherBundles(velvet));
        assertFalse(hasInactiveBundles());
    }

    @Test
    public void restartingTheConsoleReRegistersItsCommands() throws Exception {
        Bundle console = bundle("dev.vesper.vesper-console");
        String info = "(&(osgi.command.scope=vesper)(osgi.command.function=info))";
        assertNotNull(awaitService(info));
        console.stop();
        assertNull(find(info));
        console.start();
        assertNotNull(awaitService(info));
    }

    private int countDistributionBundles() {
        int n = 0;
        for (Bundle b : context.getBundles()) {
            for (java.io.File jar : VesperRuntime.bundleJars()) {
                if (b.getLocation().equals(jar.toURI().toString())) {
                    n++;
                }
            }
        }
        return n;
    }

    private boolean hasInactiveBundles() {
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders().get("Fragment-Host") == null && b.getState() != Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** Service ids and classes of every other bundle, to see that nothing else moved. */
    private List<String> servicesOfOtherBundles(Bundle except) throws Exception {
        List<String> out = new ArrayList<>();
        for (ServiceReference<?> ref : context.getAllServiceReferences(null, null)) {
            if (ref.getBundle() != null && ref.getBundle().getBundleId() != except.getBundleId()) {
                out.add(ref.getProperty("service.id") + " " + java.util.Arrays.toString((String[]) ref.getProperty("objectClass")));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    private ServiceReference<?> find(String filter) throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, filter);
        return refs == null ? null : refs[0];
    }

    private ServiceReference<?> awaitService(String filter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            ServiceReference<?> ref = find(filter);
            if (ref != null) {
                return ref;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private Object await(String className) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + className + ")"), null);
        tracker.open(true);
        try {
            return tracker.waitForService(10_000);
        } finally {
            tracker.close();
        }
    }
}
