package dev.vesper.host;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the bundles to start among the jars of the host's class path.
 *
 * <p>Every jar that the host's class loader can see (its {@code META-INF/MANIFEST.MF} is listed by
 * {@link ClassLoader#getResources}, which also sees through the manifest-only jars of surefire and
 * IDE launchers, where {@code java.class.path} names a single jar) and whose manifest has a
 * {@code Bundle-SymbolicName} is a candidate. Left out:
 * <ul>
 *   <li>the jar of the OSGi framework itself and the jar of this host;</li>
 *   <li>the vesper-api jar: the system bundle exports its packages ({@link VesperHost.Builder#shareApi()});</li>
 *   <li>symbolic names matching {@link #DEFAULT_EXCLUDES} (compile-only OSGi jars, the interactive
 *       shell, test engines) or those the application adds.</li>
 * </ul>
 * Folders of classes on the class path (an IDE's {@code target/classes}) are not installed: build the
 * bundle's jar.
 */
final class ClasspathBundles {
    /**
     * Symbolic names never installed from the class path; a trailing {@code *} matches a prefix.
     * The shell (gogo.jline, jline) would take over the terminal of an embedding application;
     * {@code org.osgi.service.log} and {@code org.osgi.namespace.*} are API jars that arrive as
     * transitive compile dependencies, while the runtime gets those packages from Felix Log and the
     * framework (the distribution does not ship them either).
     */
    static final List<String> DEFAULT_EXCLUDES = List.of(
            "org.apache.felix.main", "org.apache.felix.framework", ApiPackages.API_BUNDLE, "dev.vesper.vesper-host",
            "osgi.core", "osgi.cmpn", "osgi.annotation", "org.osgi.service.component.annotations",
            "org.osgi.annotation.*", "org.osgi.namespace.*", "org.osgi.service.log",
            "org.apache.felix.gogo.jline", "org.jline*",
            "junit*", "org.junit*", "org.opentest4j", "org.apiguardian*", "org.hamcrest*");

    private ClasspathBundles() {
    }

    static List<BundleJar> scan(ClassLoader loader, List<String> extraExcludes) throws IOException {
        Set<Path> skip = new LinkedHashSet<>();
        addJarOf(skip, org.osgi.framework.launch.Framework.class);
        addJarOf(skip, VesperHost.class);
        List<String> excludes = new ArrayList<>(DEFAULT_EXCLUDES);
        excludes.addAll(extraExcludes);
        Set<Path> seen = new LinkedHashSet<>();
        List<BundleJar> out = new ArrayList<>();
        Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            Path jar = jarOf(manifests.nextElement());
            if (jar == null || skip.contains(jar) || !seen.add(jar)) {
                continue;
            }
            BundleJar b = BundleJar.read(jar);
            if (b != null && !excluded(b.symbolicName(), excludes)) {
                out.add(b);
            }
        }
        return out;
    }

    static boolean excluded(String symbolicName, List<String> patterns) {
        for (String p : patterns) {
            boolean match = p.endsWith("*") ? symbolicName.startsWith(p.substring(0, p.length() - 1)) : symbolicName.equals(p);
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** {@code jar:file:/x/y.jar!/META-INF/MANIFEST.MF} to {@code /x/y.jar}; null for anything else. */
    private static Path jarOf(URL manifest) {
        String s = manifest.toString();
        int bang = s.indexOf("!/");
        if (!s.startsWith("jar:file:") || bang < 0) {
            return null;
        }
        try {
            Path p = Path.of(new URL(s.substring(4, bang)).toURI()).toAbsolutePath().normalize();
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void addJarOf(Set<Path> skip, Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return;
        }
        try {
            skip.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file: nothing on the class path to skip
        }
    }
}
