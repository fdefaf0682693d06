package dev.vesper.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

/**
 * The main class of {@code bin/vesper}. With no arguments it opens the interactive Gogo shell;
 * with arguments it runs them as one Gogo command line, prints the result and exits with 0, or
 * with 1 when the command failed.
 *
 * <p>The command itself runs inside the framework (the console bundle's command runner, which
 * finds the line in the framework property {@value #COMMAND_PROPERTY}); it reports its exit code
 * through an {@link IntConsumer} service registered here with {@code vesper.launcher=exit}, once
 * every bundle has started.
 */
public final class Launcher {
    public static final String COMMAND_PROPERTY = "vesper.command";

    private Launcher() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("vesper.home", ".")).toAbsolutePath().normalize();
        int code;
        try {
            code = run(home, args);
        } catch (Exception e) {
            System.err.println("vesper: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(Path home, String[] args) throws Exception {
        boolean interactive = args.length == 0;
        JulLogging.install(home);
        VesperHost.Builder builder = VesperHost.builder().distribution(home);
        if (interactive) {
            builder.lateBundles(home.resolve("shell"));
        } else {
            builder.property(COMMAND_PROPERTY, CommandLine.join(args));
        }
        try (VesperHost host = builder.start()) {
            if (interactive) {
                return awaitShellEnd(host);
            }
            return awaitExitCode(host);
        }
    }

    /**
     * The shell ends when the framework stops (Ctrl-D, or the shell's exit command); {@code exit N} hands its
     * status to the {@code IntConsumer} registered here with {@code vesper.launcher=exit-status} first.
     */
    private static int awaitShellEnd(VesperHost host) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("vesper.launcher", "exit-status");
        host.context().registerService(IntConsumer.class, status::set, props);
        host.awaitStop();
        return status.get();
    }

    private static int awaitExitCode(VesperHost host) throws InterruptedException {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("vesper.launcher", "exit");
        host.context().registerService(IntConsumer.class, exit::complete, props);
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return 1;
        }
    }

    /** Framework properties: the distribution's defaults, then {@code conf/vesper.properties}. */
    static Map<String, String> configuration(Path home) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("vesper.home", home.toString());
        config.put("gosh.home", home.toString());
        config.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "2");
        Path conf = home.resolve("conf").resolve("vesper.properties");
        if (Files.exists(conf)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(conf)) {
                p.load(in);
            }
            for (String key : p.stringPropertyNames()) {
                config.put(key, p.getProperty(key).replace("${vesper.home}", home.toString()));
            }
        }
        return config;
    }
}
