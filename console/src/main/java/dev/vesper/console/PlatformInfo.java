package dev.vesper.console;

import java.util.List;

/** What {@code vesper:info} reports: versions, the JVM, its vector width, backends and services. */
public record PlatformInfo(String vesperVersion, String jvm, String vectorPath, List<String> backends,
                           List<ServiceEntry> services) {
}
