package dev.vesper.console;

import java.util.Map;
import java.util.function.Supplier;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;

/**
 * Stands before the shell's Enter: a Vesper command line that {@link MissingValue} finds wanting is
 * not run; the reason goes above the prompt and the line stays to be finished. Any other line is
 * accepted as before.
 */
final class AcceptLineGuard {
    private AcceptLineGuard() {
    }

    /** Installs the guard in {@code reader} once; true when it is there. */
    static boolean install(Object reader, Supplier<Map<String, VesperCommands.Command>> commands) {
        if (!(reader instanceof LineReader r)) {
            return false;
        }
        Widget accept = r.getWidgets().get(LineReader.ACCEPT_LINE);
        if (accept == null || accept instanceof Guard) {
            return accept != null;
        }
        r.getWidgets().put(LineReader.ACCEPT_LINE, new Guard(r, accept, commands));
        return true;
    }

    private record Guard(LineReader reader, Widget accept, Supplier<Map<String, VesperCommands.Command>> commands)
            implements Widget {
        @Override
        public boolean apply() {
            String problem = MissingValue.problem(reader.getBuffer().toString(), commands.get());
            if (problem == null) {
                return accept.apply();
            }
            reader.printAbove(problem);
            return true;
        }
    }
}
