package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.Test;

class VesperCommandsTest {
    /** A command as a third-party bundle would write it. */
    public static final class Greeter {
        @Descriptor("say hello")
        public String greet(@Descriptor("whom") @Parameter(names = {"--name", "-n"}, absentValue = "you") String name,
                            @Descriptor("shout") @Parameter(names = "--loud", presentValue = "true", absentValue = "false") boolean loud,
                            String... words) {
            return "hello " + name;
        }

        public String wave() {
            return "~";
        }
    }

    /** A command whose option leaves its default to the code, and says what it is. */
    public static final class Counter implements OptionDefaults {
        @Descriptor("count")
        public String count(@Descriptor("up to") @Parameter(names = "--to", absentValue = "") String to,
                            @Descriptor("from") @Parameter(names = "--from", absentValue = "1") String from) {
            return from + ".." + to;
        }

        @Override
        public Map<String, String> optionDefaults(String function) {
            return Map.of("--to", "10", "--from", "ignored: the annotation's own default stands");
        }
    }

    @Test
    void optionsAreReadFromTheParameterAnnotations() {
        VesperCommands.Command train = VesperCommands.command(TrainingCommands.class, "train", null);
        assertTrue(train.option("--steps").takesValue());
        assertFalse(train.option("--wait").takesValue(), "a flag");
        assertEquals("optimizer steps", train.option("--steps").description());
        assertNull(train.option("--nope"));
        assertTrue(train.description().startsWith("train a model"));
        assertEquals(null, train.words(), "options only");
        VesperCommands.Command generate = VesperCommands.command(ModelCommands.class, "generate", null);
        assertEquals("the prompt", generate.words());
        assertEquals("0.8", generate.option("--temperature").absentValue());
        assertEquals("", generate.option("--regulate").absentValue(), "a flag has no default value to show");
    }

    @Test
    void helpShowsUsageWordsOptionsWithDefaultsAndFlags() {
        String help = HelpCommand.usage(VesperCommands.command(Greeter.class, "greet", null));
        assertEquals(String.join("\n",
                "greet - say hello",
                "  usage: greet [options]",
                "  options:",
                "    --name, -n <value>   whom (default you)",
                "  flags:",
                "    --loud               shout"), help);
    }

    @Test
    void everyNameOfAnOptionFindsIt() {
        VesperCommands.Command greet = VesperCommands.command(Greeter.class, "greet", null);
        assertEquals(List.of("--name", "-n"), greet.option("-n").names());
        assertEquals(2, greet.options().size());
    }

    @Test
    void theRegistryListsTheScopesCommandsWithTheirDescriptions() {
        FakeRegistry registry = new FakeRegistry()
                .add(Greeter.class, new Greeter(), "osgi.command.scope", "vesper",
                        "osgi.command.function", new String[] {"greet", "wave"},
                        VesperCommands.DESCRIPTION_PROPERTY, "greetings")
                .add(Greeter.class, new Greeter(), "osgi.command.scope", "other", "osgi.command.function", "hidden");
        Map<String, VesperCommands.Command> commands = VesperCommands.list(registry.context());
        assertEquals(List.of("greet", "wave"), List.copyOf(commands.keySet()));
        assertEquals("say hello", commands.get("greet").description());
        assertEquals("greetings", commands.get("wave").description(), "no @Descriptor: the service property");
        assertEquals("1,", VesperCommands.signature(registry.context()));
        assertEquals(0, registry.held(), "every command service got is ungot");
    }

    @Test
    void aCommandMayTellHelpTheDefaultsItsCodeDecides() {
        FakeRegistry registry = new FakeRegistry()
                .add(Counter.class, new Counter(), "osgi.command.scope", "vesper", "osgi.command.function", "count");
        VesperCommands.Command count = VesperCommands.list(registry.context()).get("count");
        assertEquals("10", count.option("--to").absentValue());
        assertEquals("1", count.option("--from").absentValue());
        assertTrue(HelpCommand.usage(count).contains("--to <value>     up to (default 10)"), HelpCommand.usage(count));
        assertEquals(0, registry.held(), "every command service got is ungot");
    }
}
