package dev.vesper.itests;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Third-party plug-in bundles written on the fly: one Declarative Services component that provides an
 * {@code OptimizerFactory}, with the class taken from the test's own classes, so that a test can install
 * a plug-in that is broken in a way a real one may be.
 */
final class PluginBundles {
    private PluginBundles() {
    }

    /** A bundle that imports the API, as a plug-in should. */
    static File importing(String symbolicName, Class<?> component, String optimizerName) throws IOException {
        return write(symbolicName, component, optimizerName, "dev.vesper.api.optim,dev.vesper.api.tensor", false);
    }

    /** A bundle that embeds the API's classes (as a shaded or Embed-Dependency jar does) and imports none. */
    static File embeddingTheApi(String symbolicName, Class<?> component, String optimizerName) throws IOException {
        return write(symbolicName, component, optimizerName, null, true);
    }

    private static File write(String symbolicName, Class<?> component, String optimizerName, String imports,
                              boolean embedApi) throws IOException {
        File jar = Files.createTempFile(symbolicName + "-", ".jar").toFile();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()),
                manifest(symbolicName, imports))) {
            String classFile = component.getName().replace('.', '/') + ".class";
            try (InputStream in = component.getClassLoader().getResourceAsStream(classFile)) {
                put(out, classFile, in.readAllBytes());
            }
            put(out, "OSGI-INF/component.xml", componentXml(symbolicName, component, optimizerName)
                    .getBytes(StandardCharsets.UTF_8));
            if (embedApi) {
                copyApiClasses(out);
            }
        }
        return jar;
    }

    private static Manifest manifest(String symbolicName, String imports) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Service-Component", "OSGI-INF/component.xml");
        if (imports != null) {
            a.putValue("Import-Package", imports);
        }
        return m;
    }

    private static String componentXml(String name, Class<?> component, String optimizerName) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + "  <implementation class=\"" + component.getName() + "\"/>\n"
                + "  <service><provide interface=\"dev.vesper.api.optim.OptimizerFactory\"/></service>\n"
                + "  <property name=\"vesper.optimizer\" value=\"" + optimizerName + "\"/>\n"
                + "</scr:component>\n";
    }

    /** Every class of the distribution's vesper-api jar. */
    private static void copyApiClasses(JarOutputStream out) throws IOException {
        File api = Arrays.stream(VesperRuntime.bundleJars()).filter(f -> f.getName().startsWith("vesper-api-"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no vesper-api jar in the distribution"));
        try (JarFile in = new JarFile(api)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (entry.getName().startsWith("dev/vesper/api/") && entry.getName().endsWith(".class")) {
                    try (InputStream bytes = in.getInputStream(entry)) {
                        put(out, entry.getName(), bytes.readAllBytes());
                    }
                }
            }
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
