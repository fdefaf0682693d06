package dev.vesper.itests;

import java.util.Arrays;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Updating a bundle of the running platform from an integration test, as felix:update does. */
final class BundleUpdates {
    private static final long WAIT_NANOS = 30_000_000_000L;

    private BundleUpdates() {
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    /**
     * Updates {@code symbolicName} and waits until a service matching {@code filter} is registered anew:
     * the updated bundle's components are up again.
     */
    static void updateAndAwait(BundleContext context, String symbolicName, String filter) throws Exception {
        long before = serviceId(context, filter);
        bundle(context, symbolicName).update();
        awaitNew(context, before, filter, "the updated " + symbolicName);
    }

    /**
     * Stops and starts {@code symbolicName}, and waits until a service matching {@code filter} is registered
     * anew: a component that needs one of the bundle's services (or is the bundle's) is up again.
     */
    static void restartAndAwait(BundleContext context, String symbolicName, String filter) throws Exception {
        long before = serviceId(context, filter);
        Bundle bundle = bundle(context, symbolicName);
        bundle.stop();
        bundle.start();
        awaitNew(context, before, filter, "after a restart of " + symbolicName + ", the framework");
    }

    private static void awaitNew(BundleContext context, long before, String filter, String who) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (long now = serviceId(context, filter); now == before || now == -1; now = serviceId(context, filter)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(who + " registered no " + filter + " within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static long serviceId(BundleContext context, String filter) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, filter);
        return refs == null ? -1 : (Long) refs[0].getProperty("service.id");
    }
}
