package dev.vesper.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** A bundle jar found in a folder or on the class path, with the manifest headers the host needs. */
record BundleJar(Path path, String symbolicName, String exportPackage) {

    /** The bundle jars of the folders, sorted by file name within each folder. */
    static List<BundleJar> scan(List<Path> dirs) throws IOException {
        List<BundleJar> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(VesperHost.requireDirectory(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                    BundleJar jar = read(p);
                    if (jar == null) {
                        throw new IOException(p + " is not an OSGi bundle (no Bundle-SymbolicName)");
                    }
                    out.add(jar);
                }
            }
        }
        return out;
    }

    static BundleJar find(List<BundleJar> jars, String symbolicName) {
        return jars.stream().filter(j -> symbolicName.equals(j.symbolicName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("bundle " + symbolicName + " is not among " + jars));
    }

    /** The jar's bundle headers, or null when it is a plain jar (no Bundle-SymbolicName). */
    static BundleJar read(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest() == null ? new Attributes() : file.getManifest().getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null) {
                return null;
            }
            return new BundleJar(jar, bsn.split(";")[0].trim(), main.getValue("Export-Package"));
        }
    }
}
