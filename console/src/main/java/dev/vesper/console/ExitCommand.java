package dev.vesper.console;

import java.util.function.IntConsumer;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
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
    public String exit(@Descriptor("the shell's exit status (default 0)") String... words) throws BundleException {
        if (words.length > 1 || (words.length == 1 && !(words[0].matches("\\d{1,3}") && Integer.parseInt(words[0]) <= 255))) {
            throw new Errors.CommandFailed("exit: takes nothing, or a status from 0 to 255", null);
        }
        if (words.length == 1) {
            handStatus(Integer.parseInt(words[0]));
        }
        // Framework.stop returns at once and stops the bundles on a thread of its own
        context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        return "stopping Vesper";
    }

    /**
     * To bin/vesper's launcher, which exits with it: the shell's, or a one-shot command's. An application that
     * embeds Vesper has neither.
     */
    private void handStatus(int status) {
        try {
            for (ServiceReference<IntConsumer> ref : context.getServiceReferences(IntConsumer.class,
                    "(|(vesper.launcher=exit-status)(vesper.launcher=exit))")) {
                IntConsumer launcher = context.getService(ref);
                if (launcher != null) {
                    launcher.accept(status);
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Descriptor("the same as exit")
    public String quit(@Descriptor("as for exit") String... words) throws BundleException {
        return exit(words);
    }
}
