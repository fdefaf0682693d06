package dev.vesper.logging.internal;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.namespace.PackageNamespace;

/**
 * A bundle that cannot be resolved, in a plug-in author's words. Felix reports it as
 * {@code Unable to resolve org.acme.x [36](R 36.0): missing requirement [...] osgi.wiring.package;
 * (&(osgi.wiring.package=dev.vesper.api.model)(version>=1.9.0)(!(version>=2.0.0))) Unresolved requirements: ...},
 * which File Install repeats whenever deploy/ changes; the likeliest causes are a plug-in built against a
 * newer API than this Vesper's, or a library it uses but does not embed.
 */
final class ResolveFailure {
    private static final Pattern UNABLE = Pattern.compile("Unable to resolve (\\S+) \\[(\\d+)]");
    private static final Pattern MISSING_PACKAGE = Pattern.compile(
            "missing requirement \\[.*?\\(R [^)]*\\)] osgi\\.wiring\\.package; \\(&?\\(?osgi\\.wiring\\.package=([^)]+)\\)"
                    + "(?:\\(version>=([^)]+)\\))?(?:\\(!\\(version>=([^)]+)\\)\\))?");
    private static final Pattern MISSING_OTHER = Pattern.compile("missing requirement \\[.*?\\(R [^)]*\\)] (.+?)(?: Unresolved requirements:|$)");

    private ResolveFailure() {
    }

    /** Whether an exception's text (as {@link LogWriter#causes} gives it) is a bundle that cannot be resolved. */
    static boolean is(String causes) {
        return causes.contains("BundleException: Unable to resolve ");
    }

    /**
     * One line for the terminal, or null when {@code causes} is not such a failure. {@code exporters} gives the
     * versions in which the bundles here export a package ("1.3.0 (dev.vesper.vesper-api)"), none when no bundle does.
     */
    static String explain(String causes, Function<String, List<String>> exporters) {
        Matcher unable = UNABLE.matcher(causes);
        if (!unable.find()) {
            return null;
        }
        String bundle = "bundle " + unable.group(1) + " [" + unable.group(2) + "] cannot start";
        String hint = "; it stays installed, unused (lb), until it or what it needs changes";
        Matcher pkg = MISSING_PACKAGE.matcher(causes);
        if (pkg.find()) {
            String name = pkg.group(1);
            List<String> here = exporters.apply(name);
            return bundle + ": it imports package " + name + range(pkg.group(2), pkg.group(3))
                    + (here.isEmpty() ? ", which no bundle here exports: embed the library that has it in the plug-in,"
                            + " or put a bundle that exports it in deploy/"
                            : ", and this Vesper has " + String.join(", ", here) + ": build the plug-in against it")
                    + hint;
        }
        Matcher other = MISSING_OTHER.matcher(causes);
        return bundle + ": nothing here meets its requirement " + (other.find() ? other.group(1).trim() : "(see log/vesper.log)")
                + hint;
    }

    /** The versions in which the resolved bundles here export {@code pkg}, each with the bundle's name. */
    static List<String> exporters(org.osgi.framework.BundleContext context, String pkg) {
        List<String> found = new java.util.ArrayList<>();
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            org.osgi.framework.wiring.BundleWiring wiring = b.adapt(org.osgi.framework.wiring.BundleWiring.class);
            if (wiring == null) {
                continue;   // not resolved: exports nothing
            }
            for (org.osgi.framework.wiring.BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    found.add(c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE) + " (" + b.getSymbolicName() + ")");
                }
            }
        }
        return found;
    }

    /** {@code  in version [1.9.0, 2.0.0)}, or nothing when the import names no version. */
    private static String range(String floor, String ceiling) {
        if (floor == null) {
            return "";
        }
        return " in version " + (ceiling == null ? floor + " or later" : "[" + floor + ", " + ceiling + ")");
    }
}
