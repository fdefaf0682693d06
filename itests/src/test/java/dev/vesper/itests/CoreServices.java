package dev.vesper.itests;

import java.util.List;

/** The service kinds a complete Vesper runtime registers. */
final class CoreServices {
    static final List<String> KINDS = List.of(
            "org.osgi.service.log.LogReaderService",
            "org.osgi.service.cm.ConfigurationAdmin",
            "org.osgi.service.event.EventAdmin");

    private CoreServices() {
    }
}
