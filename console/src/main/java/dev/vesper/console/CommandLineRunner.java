package dev.vesper.console;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs the one command line of a non-interactive {@code bin/vesper <command…>}: the launcher puts
 * it in the framework property {@code vesper.command} and, once every bundle has started,
 * registers the {@code IntConsumer} that takes the exit code. Errors print as one line, never a
 * stack trace (set {@code VESPER_DEBUG=1} for the trace).
 */
@Component
public final class CommandLineRunner {

    @Activate
    public CommandLineRunner(BundleContext context, @Reference CommandProcessor processor,
                             @Reference(target = "(vesper.launcher=exit)") IntConsumer exit) {
        String line = context.getProperty("vesper.command");
        if (line != null) {
            // Gogo routes System.out through its own thread streams: write to the process's own
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            Supplier<Map<String, VesperCommands.Command>> commands = () -> VesperCommands.list(context);
            Thread t = new Thread(() -> exit.accept(run(processor, line, out, err, commands)), "vesper-command");
            t.start();
        }
    }

    static int run(CommandProcessor processor, String line, PrintStream out, PrintStream err,
                   Supplier<Map<String, VesperCommands.Command>> commands) {
        // what a newcomer types first
        if (line.trim().equals("--help") || line.trim().equals("-h")) {
            line = "help";
        }
        String statement = line;
        try (CommandSession session = processor.createSession(new FileInputStream(FileDescriptor.in), out, err)) {
            session.put("SCOPE", "vesper:*");
            // one statement at a time, so that "load X ; meta train" shows what load said too; the first failure ends it
            for (String s : Statements.split(line)) {
                String help = HelpRequest.asHelp(s, commands.get());
                statement = help != null ? help : s;
                Object result = session.execute(statement);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT).toString().stripTrailing());
                }
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            err.println("error: " + Errors.forCommand(statement, e, commands));
            if (System.getenv("VESPER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}
