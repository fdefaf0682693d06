package dev.vesper.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam options that boot exactly the distribution's bundle set ({@code bundle/} of the
 * folder that the distribution module built), with pax-url confined to the build's local repository.
 */
public final class VesperRuntime {
    private static final String HOME = home();

    private VesperRuntime() {
    }

    public static Option distribution() {
        List<Option> options = new ArrayList<>();
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("maven.repo.local")));
        options.add(systemProperty("org.ops4j.pax.url.mvn.repositories").value(""));
        options.add(systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"));
        options.add(frameworkProperty("vesper.home").value(HOME));
        options.add(frameworkProperty("felix.fileinstall.dir").value(HOME + "/deploy"));
        options.add(cleanCaches(true));
        options.add(junitBundles());
        for (File jar : bundleJars()) {
            options.add(bundle(jar.toURI().toString()));
        }
        return composite(options.toArray(new Option[0]));
    }

    /** The distribution's bundle jars, sorted by name. */
    public static File[] bundleJars() {
        String dist = System.getProperty("vesper.distribution");
        File dir = new File(dist, "bundle");
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir + ": build the distribution module first");
        }
        Arrays.sort(jars);
        return jars;
    }

    /** A fresh folder standing for the distribution's home (logs, deploy/, runs). */
    private static String home() {
        try {
            File home = Files.createTempDirectory("vesper-itest-").toFile();
            new File(home, "deploy").mkdirs();
            return home.getAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
