package dev.vesper.console;

import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Answers a command name that nothing provides with one plain line instead of Gogo's
 * {@code org.apache.felix.gogo.runtime.CommandNotFoundException: Command not found: foo}, naming the
 * command it most likely meant. Gogo ({@code Closure.executeCmd}) calls a session's {@code default}
 * function with the name and its arguments when it cannot resolve a name; a session variable, unlike a
 * command, stays out of {@code help} and completion.
 */
@Component(service = CommandSessionListener.class)
public final class UnknownCommands implements CommandSessionListener {
    static final String FALLBACK = "default";

    private final BundleContext context;
    private final Function answer = new Answer();

    /** The session's answer; a class of its own so that an updated console knows its predecessor's. */
    private final class Answer implements Function {
        @Override
        public Object execute(CommandSession session, List<Object> arguments) {
            // typing "default" itself reaches here with no arguments
            String name = arguments.isEmpty() ? FALLBACK : String.valueOf(arguments.get(0));
            String unavailable = unavailable(name);
            throw new Errors.CommandFailed(unavailable != null ? unavailable : message(name, commandNames()), null);
        }
    }

    @Activate
    public UnknownCommands(BundleContext context) {
        this.context = context;
    }

    static String message(String name, List<String> commands) {
        int colon = name.indexOf(':');
        String bare = name.substring(colon + 1);
        // the hint keeps the scope typed: vesper:trian gets vesper:train
        String hint = Suggestion.didYouMean(bare, commands).replace("did you mean ", "did you mean " + name.substring(0, colon + 1));
        return "unknown command '" + name + "'" + (hint.isEmpty() ? "; type help to list the commands" : hint);
    }

    /**
     * Why one of Vesper's own commands is missing: its component waits for services that have gone (their
     * bundle stopped, or being updated). Null when the name is no Vesper command.
     */
    private String unavailable(String name) {
        String bare = name.substring(name.indexOf(':') + 1);
        if (name.contains(":") && !name.startsWith(VesperCommands.SCOPE + ":")) {
            return null;
        }
        List<String> missing;
        try (ComponentStates states = ComponentStates.open(context)) {
            missing = states.missingFor(context.getBundle(), bare);
        } catch (IllegalStateException consoleRestarted) {
            return null;
        }
        return missing.isEmpty() ? null : "'" + name + "' is not available now: it needs " + String.join(" and ", missing)
                + ", which no bundle provides at the moment (lb lists the bundles: start the one that was stopped)";
    }

    /** Every scope's command names: a Gogo command such as {@code lb} can be the one meant too. */
    private List<String> commandNames() {
        List<String> names = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=*)");
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object functions = ref.getProperty("osgi.command.function");
                if (functions instanceof String[] list) {
                    names.addAll(List.of(list));
                } else if (functions != null) {
                    names.add(functions.toString());
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException consoleRestarted) {
            // a shell session keeps this answer after the console bundle that made it has stopped: the
            // command is still unknown, only the hint is lost
        }
        return names;
    }

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        Object current = session.get(FALLBACK);
        // the shell outlives an updated console, whose answer could no longer load its classes
        if (current == null || current != answer && current.getClass().getName().equals(Answer.class.getName())) {
            session.put(FALLBACK, answer);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
