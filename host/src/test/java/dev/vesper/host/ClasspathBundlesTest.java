package dev.vesper.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding bundle jars on a class path and in folders, without starting a framework. */
class ClasspathBundlesTest {
    @TempDir
    Path tmp;

    @Test
    void findsBundleJarsOnTheClassPathAndLeavesOutPlainJarsShellApiAndTestEngines() throws IOException {
        Path bundle = jar("a.jar", "com.example.optimizer;singleton:=true");
        Path plain = jar("plain.jar", null);
        Path shell = jar("shell.jar", "org.apache.felix.gogo.jline");
        Path junit = jar("junit.jar", "junit-jupiter-api");
        Path api = jar("api.jar", "dev.vesper.vesper-api");
        Path mine = jar("mine.jar", "com.example.skipme");
        try (URLClassLoader loader = new URLClassLoader(urls(bundle, plain, shell, junit, api, mine), null)) {
            List<BundleJar> found = ClasspathBundles.scan(loader, List.of("com.example.skip*"));
            assertEquals(List.of("com.example.optimizer"), found.stream().map(BundleJar::symbolicName).toList());
            assertEquals(bundle.toAbsolutePath().normalize(), found.get(0).path());
        }
    }

    @Test
    void excludePatternsMatchWholeNamesOrPrefixes() {
        List<String> patterns = List.of("org.jline*", "osgi.core");
        assertTrue(ClasspathBundles.excluded("org.jline", patterns));
        assertTrue(ClasspathBundles.excluded("org.jline.terminal", patterns));
        assertTrue(ClasspathBundles.excluded("osgi.core", patterns));
        assertFalse(ClasspathBundles.excluded("osgi.core.extra", patterns));
        assertFalse(ClasspathBundles.excluded("dev.vesper.vesper-trainer", ClasspathBundles.DEFAULT_EXCLUDES));
        assertTrue(ClasspathBundles.excluded("org.apache.felix.gogo.jline", ClasspathBundles.DEFAULT_EXCLUDES));
    }

    @Test
    void aFolderScanRefusesAPlainJarAndAMissingFolderByName() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bundle"));
        Files.move(jar("plain.jar", null), dir.resolve("plain.jar"));
        IOException e = assertThrows(IOException.class, () -> BundleJar.scan(List.of(dir)));
        assertTrue(e.getMessage().contains("plain.jar") && e.getMessage().contains("Bundle-SymbolicName"), e.getMessage());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> BundleJar.scan(List.of(tmp.resolve("nowhere"))));
        assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
    }

    @Test
    void distributionConfigurationReadsVesperPropertiesWithTheHomeFilledIn() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("vesper"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/vesper.properties"), "felix.fileinstall.dir=${vesper.home}/drop\nds.loglevel=warn\n");
        var config = Launcher.configuration(home);
        assertEquals(home + "/drop", config.get("felix.fileinstall.dir"));
        assertEquals("warn", config.get("ds.loglevel"));
        assertEquals(home.toString(), config.get("vesper.home"));
    }

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path p = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return p;
    }

    private static URL[] urls(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return urls;
    }
}
