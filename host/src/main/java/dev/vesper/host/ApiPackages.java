package dev.vesper.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Names that tie the host to the API bundle, the API as this application's class path holds it, and the
 * bundle that serves it to the others.
 */
final class ApiPackages {
    /** The API bundle's symbolic name, as the parent pom derives it. */
    static final String API_BUNDLE = "dev.vesper.vesper-api";

    /** A class of the API, to find the jar that holds it. */
    private static final String PROBE = "dev/vesper/api/train/TrainingService.class";

    private ApiPackages() {
    }

    /**
     * The {@code Export-Package} header of the vesper-api jar on the host's class path: the packages
     * the system bundle must export, with the versions of the classes that it will actually serve.
     *
     * @throws IllegalStateException when the API is not on the class path or its jar has no header
     */
    static String exportedByClasspath() {
        ClassLoader loader = ApiPackages.class.getClassLoader();
        URL probe = loader.getResource(PROBE);
        if (probe == null) {
            throw new IllegalStateException("sharing the API needs the dev.vesper:vesper-api jar on this application's "
                    + "class path (no " + PROBE + " found)");
        }
        String s = probe.toString();
        String manifest = s.substring(0, s.length() - PROBE.length()) + "META-INF/MANIFEST.MF";
        try (InputStream in = new URL(manifest).openStream()) {
            String header = new Manifest(in).getMainAttributes().getValue("Export-Package");
            if (header == null || header.isBlank()) {
                throw new IllegalStateException(manifest + " has no Export-Package header: is it the vesper-api bundle?");
            }
            return header;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the manifest of the API on the class path: " + manifest, e);
        }
    }

    /**
     * The bundle whose copy of {@code pkg} the platform's bundles are wired to: the system bundle when the
     * host shares the API, otherwise the API bundle. Null when neither exports it.
     */
    static Bundle exporter(BundleContext context, String pkg) {
        Bundle system = context.getBundle(0);
        if (exports(system, pkg)) {
            return system;
        }
        for (Bundle b : context.getBundles()) {
            if (API_BUNDLE.equals(b.getSymbolicName()) && exports(b, pkg)) {
                return b;
            }
        }
        return null;
    }

    /** Whether the bundle is resolved and exports {@code pkg}. */
    private static boolean exports(Bundle bundle, String pkg) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        return wiring != null && wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .anyMatch(c -> pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
    }
}
