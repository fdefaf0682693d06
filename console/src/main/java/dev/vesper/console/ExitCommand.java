package dev.vesper.console;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code exit} and {@code quit}: leave the shell as Ctrl-D does, by stopping the framework, so that every
 * bundle stops in order and a running job writes its final checkpoint. Without it a bare {@code exit}
 * would reach {@code System.exit(int)}, which Gogo's profile adds as a command, and end the JVM at once.
 */
@Component(service = ExitCommand.class, property = {"osgi.command.scope=vesper", "osgi.command.function=exit",
        "osgi.command.function=quit"})
public final class ExitCommand {
    private final BundleContext context;

    @Activate
    public ExitCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("leave Vesper, as Ctrl-D does: a running job stops at its next step and writes a checkpoint")
    public String exit(@Descriptor("ignored: an exit status such as 0") String... words)
            throws BundleException {
        // "exit 0" out of habit is fine; anything else is a mistake worth saying before leaving
        if (words.length > 1 || (words.length == 1 && !words[0].matches("\\d+"))) {
            throw new Errors.CommandFailed("exit: takes nothing, or a status such as 0", null);
        }
        // Framework.stop returns at once and stops the bundles on a thread of its own
        context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        return "stopping Vesper";
    }

    @Descriptor("the same as exit")
    public String quit(@Descriptor("as for exit") String... words) throws BundleException {
        return exit(words);
    }
}
