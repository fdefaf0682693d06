package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.train.TrainingConfig;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

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
    void theDefaultsTheCodeDecidesFillOnlyOptionsThatLeaveItToTheCode() {
        VesperCommands.Command greet = VesperCommands.withDefaults(VesperCommands.command(Greeter.class, "greet", null),
                Map.of("--name", "ignored: the annotation's own default stands"));
        assertEquals("you", greet.option("--name").absentValue());
        VesperCommands.Command train = VesperCommands.withDefaults(VesperCommands.command(TrainingCommands.class, "train", null),
                OptionDefaults.of(TrainingCommands.class, "train"));
        assertTrue(HelpCommand.usage(train).contains("(default " + new TrainingConfig().steps() + ")"), HelpCommand.usage(train));
    }

    /**
     * A felix:refresh of the API takes down the console's commands while the shell lists them (at Enter, Tab,
     * help): getting such a component gives null, which the framework reports as an ERROR on the terminal. The
     * list reads a component's class as DS describes it, and gets none of them.
     */
    @Test
    void componentsAreListedFromTheirClassWithoutCreatingThem() {
        FakeRegistry registry = new FakeRegistry()
                .add(ServiceComponentRuntime.class, runtime(Map.of("training", TrainingCommands.class.getName(),
                        "uninstalled", "gone.Commands")))
                // null: getting them would give nothing, as for a component that DS is taking down
                .add(TrainingCommands.class, null, "osgi.command.scope", "vesper", "osgi.command.function", "train",
                        "component.name", "training", "component.id", 1L)
                .add(Greeter.class, null, "osgi.command.scope", "vesper", "osgi.command.function", "greet",
                        "component.name", "uninstalled", "component.id", 2L);
        Map<String, VesperCommands.Command> commands = VesperCommands.list(registry.context());
        assertEquals(List.of("train"), List.copyOf(commands.keySet()), "a component its bundle can no longer load is left out");
        VesperCommands.Command train = commands.get("train");
        assertTrue(train.description().startsWith("train a model"));
        assertEquals(Long.toString(new TrainingConfig().steps()), train.option("--steps").absentValue(),
                "the default its code decides");
        assertEquals(0, registry.held(), "the runtime got is ungot");
    }

    /** A DS runtime that describes components by name with the given implementation classes. */
    private static ServiceComponentRuntime runtime(Map<String, String> classes) {
        return (ServiceComponentRuntime) Proxy.newProxyInstance(VesperCommandsTest.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getComponentDescriptionDTO")) {
                        throw new AssertionError("unexpected call: ServiceComponentRuntime." + method.getName());
                    }
                    ComponentDescriptionDTO d = new ComponentDescriptionDTO();
                    d.implementationClass = classes.get((String) args[1]);
                    return d;
                });
    }
}
