package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.Activation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.jline.builtins.Completers.CompletionData;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCompletionsTest {
    @TempDir
    Path work;

    private static final VesperCommands.Command TRAIN = VesperCommands.command(TrainingCommands.class, "train", null);
    private static final VesperCommands.Command USE = VesperCommands.command(TrainingCommands.class, "use", null);

    @Test
    void eachOptionIsOfferedOnlyWhileAbsentAndValuesComeFromOneFunction() {
        List<CompletionData> entries = ShellCompletions.entries(TRAIN);
        assertEquals(TRAIN.description(), entries.get(0).description);
        assertNull(entries.get(0).options, "the command's own description, shown beside its name");
        CompletionData steps = entries.stream().filter(e -> e.options != null && e.options.contains("--steps"))
                .findFirst().orElseThrow();
        assertEquals("__vesper_absent --steps", steps.condition);
        assertEquals("__vesper_values", entries.get(entries.size() - 1).argument);
        assertEquals(TRAIN.options().size() + 2, entries.size());
    }

    @Test
    void anOptionAlreadyOnTheLineIsNotOfferedAgain() throws Exception {
        CommandSession session = session(line(3, "train", "--steps", "5", "--"));
        assertEquals(false, ShellCompletions.absent().execute(session, List.of("--steps")));
        assertEquals(true, ShellCompletions.absent().execute(session, List.of("--lr")));
    }

    @Test
    void valuesAreCandidatesForTheWordBeingTyped() throws Exception {
        CompletionChoices choices = new CompletionChoices(new FakeRegistry()
                .add(Activation.class, new Object(), "vesper.activation", "era")
                .add(Activation.class, new Object(), "vesper.activation", "silu").context());
        Map<String, VesperCommands.Command> commands = Map.of("use", USE, "train", TRAIN);
        Path folder = Files.createDirectories(work.resolve("runs"));
        var values = ShellCompletions.values(choices, () -> commands, () -> work);

        assertEquals(List.of("era", "silu"), words(values.execute(session(line(2, "use", "activation", "s")), List.of())));
        assertEquals(List.of("era", "silu"), words(values.execute(session(line(2, "vesper:use", "activation", "")), List.of())));
        assertEquals(List.of(), words(values.execute(session(line(1, "felix:lb", "")), List.of())), "not Vesper's");

        List<?> tokenizers = (List<?>) values.execute(session(line(2, "train", "--tokenizer", "b")), List.of());
        Candidate bpe = (Candidate) tokenizers.stream().filter(c -> ((Candidate) c).value().equals("bpe:")).findFirst().orElseThrow();
        assertFalse(bpe.complete(), "bpe: is a prefix: no space after it");
        assertTrue(((Candidate) tokenizers.get(0)).complete(), "byte is a whole word");
        // then the files and folders of the working directory
        assertEquals(List.of("byte", "bpe:", folder.getFileName().toString()), words(tokenizers));
    }

    private static List<String> words(Object candidates) {
        return ((List<?>) candidates).stream().map(c -> ((Candidate) c).value()).toList();
    }

    private static ParsedLine line(int wordIndex, String... words) {
        return (ParsedLine) Proxy.newProxyInstance(ShellCompletionsTest.class.getClassLoader(),
                new Class<?>[] {ParsedLine.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "words" -> Arrays.asList(words);
                    case "wordIndex" -> wordIndex;
                    case "word" -> words[wordIndex];
                    case "wordCursor" -> words[wordIndex].length();
                    default -> throw new AssertionError("unexpected call: " + method.getName());
                });
    }

    private static CommandSession session(ParsedLine line) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(".commandLine", line);
        vars.put(".reader", Proxy.newProxyInstance(ShellCompletionsTest.class.getClassLoader(),
                new Class<?>[] {LineReader.class}, (proxy, method, args) -> switch (method.getName()) {
                    // what the file completer asks: no reader options set, and no terminal to style for
                    case "isSet" -> false;
                    case "getTerminal" -> null;
                    default -> throw new AssertionError("unexpected call: " + method.getName());
                }));
        return (CommandSession) Proxy.newProxyInstance(ShellCompletionsTest.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> vars.get((String) args[0]);
                    default -> throw new AssertionError("unexpected call: " + method.getName());
                });
    }
}
