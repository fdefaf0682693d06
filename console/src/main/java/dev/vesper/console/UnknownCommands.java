package dev.vesper.console;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Component;

/**
 * Answers a command name that nothing provides with one plain line instead of Gogo's
 * {@code org.apache.felix.gogo.runtime.CommandNotFoundException: Command not found: foo}. Gogo
 * ({@code Closure.executeCmd}) calls a session's {@code default} function with the name and its
 * arguments when it cannot resolve a name; a session variable, unlike a command, stays out of
 * {@code help} and completion.
 */
@Component(service = CommandSessionListener.class)
public final class UnknownCommands implements CommandSessionListener {
    static final String FALLBACK = "default";

    static final Function ANSWER = (session, arguments) -> {
        // typing "default" itself reaches here with no arguments
        String name = arguments.isEmpty() ? FALLBACK : String.valueOf(arguments.get(0));
        throw new Errors.CommandFailed("unknown command '" + name + "'; type help to list the commands", null);
    };

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        if (session.get(FALLBACK) == null) {
            session.put(FALLBACK, ANSWER);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
