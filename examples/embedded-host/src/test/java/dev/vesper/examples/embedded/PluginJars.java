package dev.vesper.examples.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Third-party plug-in bundles written on the fly: one Declarative Services component that provides an
 * {@code OptimizerFactory}, its class taken from this test's classes, packed well or in a way a real
 * plug-in may be broken. The Pax Exam tests have their own ({@code itests/.../PluginBundles}): their code
 * runs inside the framework, where this module's test classes are not.
 */
final class PluginJars {
    private PluginJars() {
    }

    /** A bundle that imports the API, as a plug-in should. */
    static Path importing(Path dir, String symbolicName, Class<?> component, String optimizer) throws IOException {
        return write(dir, symbolicName, component, optimizer, "dev.vesper.api.optim,dev.vesper.api.tensor", null);
    }

    /** A bundle that embeds the classes of {@code apiJar} (as a shaded jar does) and imports none. */
    static Path embeddingTheApi(Path dir, String symbolicName, Class<?> component, String optimizer, Path apiJar)
            throws IOException {
        return write(dir, symbolicName, component, optimizer, null, apiJar);
    }

    private static Path write(Path dir, String symbolicName, Class<?> component, String optimizer, String imports,
                              Path apiJar) throws IOException {
        Path jar = dir.resolve(symbolicName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(symbolicName, imports))) {
            String classFile = component.getName().replace('.', '/') + ".class";
            try (InputStream in = component.getClassLoader().getResourceAsStream(classFile)) {
                put(out, classFile, in.readAllBytes());
            }
            put(out, "OSGI-INF/component.xml", componentXml(symbolicName, component, optimizer));
            if (apiJar != null) {
                copyApiClasses(apiJar, out);
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

    private static byte[] componentXml(String name, Class<?> component, String optimizer) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + "  <implementation class=\"" + component.getName() + "\"/>\n"
                + "  <service><provide interface=\"dev.vesper.api.optim.OptimizerFactory\"/></service>\n"
                + "  <property name=\"vesper.optimizer\" value=\"" + optimizer + "\"/>\n"
                + "</scr:component>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void copyApiClasses(Path apiJar, JarOutputStream out) throws IOException {
        try (JarFile in = new JarFile(apiJar.toFile())) {
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
