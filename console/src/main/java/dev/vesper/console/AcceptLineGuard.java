package dev.vesper.console;

import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;

/**
 * Stands before the shell's Enter: a Vesper command line that {@link MissingValue} finds wanting is
 * not run; the reason goes above the prompt and the line stays to be finished. {@code train --help}
 * becomes {@code help train} ({@link HelpRequest}). Any other line is accepted as before.
 *
 * <p>The shell outlives the console bundle that put the guard there: an updated console takes its
 * guard away ({@link Guard#remove}) and puts its own, and a guard whose console has gone lets every
 * line through rather than fail the shell's Enter, which would end the shell.
 */
final class AcceptLineGuard {
    private AcceptLineGuard() {
    }

    /** Installs a guard in {@code reader} unless one of this console's is there; returns the one installed, or null. */
    static Guard install(Object reader, Supplier<Map<String, VesperCommands.Command>> commands) {
        if (!(reader instanceof LineReader r)) {
            return null;
        }
        Widget accept = r.getWidgets().get(LineReader.ACCEPT_LINE);
        if (accept == null || accept instanceof Guard) {
            return null;
        }
        Guard guard = new Guard(r, accept, commands);
        r.getWidgets().put(LineReader.ACCEPT_LINE, guard);
        return guard;
    }

    record Guard(LineReader reader, Widget accept, Supplier<Map<String, VesperCommands.Command>> commands)
            implements Widget {
        @Override
        public boolean apply() {
            Map<String, VesperCommands.Command> known;
            try {
                known = commands.get();
            } catch (IllegalStateException consoleGone) {
                return accept.apply();
            }
            String line = reader.getBuffer().toString();
            String help = HelpRequest.asHelp(line, known);
            if (help != null) {
                reader.getBuffer().clear();
                reader.getBuffer().write(help);
                return accept.apply();
            }
            String problem = MissingValue.problem(line, known);
            if (problem == null) {
                return accept.apply();
            }
            reader.printAbove(problem);
            return true;
        }

        /** Puts Enter back as it was, unless another widget has been put before this guard since. */
        void remove() {
            reader.getWidgets().remove(LineReader.ACCEPT_LINE, this);
            reader.getWidgets().putIfAbsent(LineReader.ACCEPT_LINE, accept);
        }
    }
}
