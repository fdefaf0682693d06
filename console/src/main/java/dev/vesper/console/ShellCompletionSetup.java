package dev.vesper.console;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Keeps Tab completion of Vesper's options in step with the commands installed: around each command
 * run in a JLine shell (the profile included, so before the first prompt), it installs
 * {@link ShellCompletions} again if a command has come or gone since, and puts the
 * {@link AcceptLineGuard} before the line reader's Enter once, taking it away again when the console goes. A session without a completion table,
 * such as a one-shot {@code bin/vesper train}, is left alone and never loads JLine.
 */
@Component(service = CommandSessionListener.class)
public final class ShellCompletionSetup implements CommandSessionListener {
    private static final String INSTALLED = ".vesper.completions";
    private final BundleContext context;
    /**
     * What takes away each guard this console put before a shell's Enter, run when it goes. Runnables, so
     * that a runtime without JLine (no shell) never loads the guard's class.
     */
    private final List<Runnable> guardRemovals = new CopyOnWriteArrayList<>();

    /** What was installed in a session: for which commands, and what it replaced in the table. */
    private record Installed(String signature, Map<String, Object> displaced) {
    }

    @Activate
    public ShellCompletionSetup(BundleContext context) {
        this.context = context;
    }

    /** An updated or stopped console leaves each shell's Enter as it found it (its own guard would fail there). */
    @Deactivate
    void deactivate() {
        guardRemovals.forEach(Runnable::run);
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        refresh(session);
    }

    // after as well: the profile's own commands (system:load, system:exit) appear while it runs, and
    // change which name the completer looks a bare load or exit up under
    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        refresh(session);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        refresh(session);
    }

    private void refresh(CommandSession session) {
        if (!(session.get(".completions") instanceof Map)) {
            return;
        }
        AcceptLineGuard.Guard guard = AcceptLineGuard.install(session.get(".reader"), () -> VesperCommands.list(context));
        if (guard != null) {
            guardRemovals.add(guard::remove);
        }
        Object all = session.get(".commands");
        String signature = VesperCommands.signature(context) + (all instanceof Set<?> names ? names.size() : 0);
        Installed before = session.get(INSTALLED) instanceof Installed i ? i : new Installed("", Map.of());
        if (!signature.equals(before.signature())) {
            session.put(INSTALLED, new Installed(signature, ShellCompletions.install(session, context, before.displaced())));
        }
    }
}
