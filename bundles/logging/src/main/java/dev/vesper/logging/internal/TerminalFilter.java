package dev.vesper.logging.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/**
 * Which warnings and errors also go to the terminal. A plug-in component that cannot be created fails
 * again each time its service is asked for (the trainer binding it, the console listing it, the trainer
 * unbinding it as Vesper stops), SCR logs the failure each time, and the consumer and the framework each
 * add a line about the service they did not get: six lines or more, one of which says why. The terminal
 * shows that one, once; the file keeps them all.
 */
final class TerminalFilter {
    /**
     * What SCR logs for a consumer that could not get a service it tracks. A DS provider that failed has
     * logged why itself; a plain service factory's failure is logged by the framework, which stays shown;
     * otherwise the service went away meanwhile, which is no failure.
     */
    private static final List<String> CONSUMER_ECHOES = List.of(
            "Could not get service from ref ",
            "Could not get service from serviceobjects for ref ",
            "DependencyManager : invokeBindMethod : Service not available from service registry",
            "DependencyManager : invokeUpdatedMethod : Service not available from service registry",
            "DependencyManager : invokeUnbindMethod : Service not available from service registry");
    /** The framework's word that a DS component's service factory gave nothing: SCR has said why. */
    private static final String FRAMEWORK_ECHO = "ServiceException: Service factory returned null. (Component: ";

    /** SCR's reports shown so far, each with the revision of the bundle it came from. */
    private final Set<String> shown = new HashSet<>();
    /** The last revision seen of each bundle, by id. */
    private final java.util.Map<Long, Integer> revisions = new java.util.HashMap<>();

    synchronized boolean shows(LogEntry entry) {
        if (!LogLevel.WARN.implies(entry.getLogLevel())) {
            return false;
        }
        String causes = entry.getException() == null ? "" : LogWriter.causes(entry.getException());
        if (causes.startsWith(FRAMEWORK_ECHO)) {
            return false;
        }
        if (ResolveFailure.is(causes)) {
            // File Install tries again at every change in deploy/: once per bundle revision, named in the text
            return shown.add(causes);
        }
        String scr = ScrMessage.text(String.valueOf(entry.getMessage()));
        if (scr == null) {
            return true;   // not SCR's: each one may be news
        }
        if (CONSUMER_ECHOES.stream().anyMatch(scr::startsWith)) {
            return false;
        }
        return shown.add(revision(entry.getBundle()) + ' ' + entry.getMessage() + ' ' + causes);
    }

    /**
     * The bundle as of its last install or update: a jar replaced in deploy/ that fails the same way
     * is a new failure; the same one failing at each request is not. Its revision, not its time of last
     * change, which an uninstall moves too: the log is read on its own thread, so a report made before a
     * plug-in is removed may be read after, when the bundle has no revision left; it then reads as the
     * last one seen.
     */
    private String revision(Bundle bundle) {
        if (bundle == null) {
            return "-";
        }
        long id = bundle.getBundleId();
        BundleRevision current = bundle.adapt(BundleRevision.class);
        if (current != null) {
            // a number, not the revision: that would keep the bundle's class loader alive
            revisions.put(id, System.identityHashCode(current));
        }
        return id + "@" + revisions.getOrDefault(id, 0);
    }}
