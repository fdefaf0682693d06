package dev.vesper.host;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Whether the platform's bundles can use a registered service. The registry also lists a service whose
 * component cannot be created, and one whose bundle carries its own copy of the API, though no bundle
 * that imports the API can use either.
 *
 * <p>The console's {@code ServiceCatalog} makes the same check from inside the framework. Sharing it
 * would take a module of its own, since the console is a bundle and the host a library outside the
 * framework, and the two checks differ anyway: the console asks Declarative Services for component
 * states, whose classes the host cannot see, and judges the API against its own imports, while the
 * host, which imports nothing, judges against the bundle that serves the API. Change both together.
 */
final class ServiceUsability {
    private static final String FAILED_TO_ACTIVATE = "its component failed to activate (Declarative Services logs why)";

    private ServiceUsability() {
    }

    /** Why the service registered under {@code type} by {@code provider} cannot be used, or null when it can. */
    static String problem(BundleContext context, ServiceReference<?> ref, Bundle provider, String type) {
        String pkg = type.substring(0, type.lastIndexOf('.'));
        Bundle api = ApiPackages.exporter(context, pkg);
        if (api == null) {
            return "no bundle exports " + pkg;
        }
        // the framework hands a service to a bundle only if both see the same class, so asking on behalf
        // of the API's exporter holds in both modes; the system bundle would see the application's copy
        // even when it does not export it
        if (!ref.isAssignableTo(api, type)) {
            return "bundle " + provider.getSymbolicName() + " carries its own copy of " + pkg
                    + "; it must import the package instead";
        }
        return created(context, ref) ? null : FAILED_TO_ACTIVATE;
    }

    /**
     * Whether the service can be got: a component whose constructor or activate method throws comes back
     * as null. The use is released at once, so that the host does not keep a delayed component alive.
     */
    private static boolean created(BundleContext context, ServiceReference<?> ref) {
        if (context.getService(ref) == null) {
            return false;
        }
        context.ungetService(ref);
        return true;
    }
}
