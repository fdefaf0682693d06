package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.Activation;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.TrainingService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A registered optimizer or activation that cannot be used (its component fails to activate, or its bundle
 * carries its own copy of the API) is listed with the reason, and the commands that name it give the reason.
 */
class ServiceCatalogTest {
    private static final String FAILED = "not usable: its component failed to activate (log/vesper.log says why)";
    private static final String OWN_COPY = "not usable: bundle dev.example.lion carries its own copy of"
            + " dev.vesper.api.optim; it must import the package instead";

    private final FakeRegistry registry = new FakeRegistry()
            .add(OptimizerFactory.class, new Object(), "vesper.optimizer", "velvet")
            .add(OptimizerFactory.class, null, "vesper.optimizer", "exploding")
            .add(OptimizerFactory.class, new Object(), "vesper.optimizer", "lion").withOwnApiCopy("dev.example.lion")
            .add(Activation.class, new Object(), "vesper.activation", "silu")
            .add(Activation.class, null, "vesper.activation", "broken");

    @AfterEach
    void everyServiceGotIsUngot() {
        assertEquals(0, registry.held());
    }

    @Test
    void theListingSaysWhichServicesCannotBeUsedAndWhy() {
        List<ServiceEntry> optimizers = ServiceCatalog.ofKind(registry.context(), "OptimizerFactory");
        Map<String, ServiceEntry> byName = optimizers.stream().collect(Collectors.toMap(ServiceEntry::name, e -> e));
        assertNull(byName.get("velvet").unusable());
        assertEquals(FAILED, byName.get("exploding").unusable());
        assertEquals(OWN_COPY, byName.get("lion").unusable());
        assertEquals(List.of("velvet"), ServiceCatalog.usableNames(optimizers));

        String table = Tables.services(optimizers);
        assertTrue(table.contains("  velvet     test.bundle       1.0.0\n"), table);
        assertTrue(table.contains("  exploding  test.bundle       1.0.0    " + FAILED + "\n"), table);
        assertTrue(table.contains("  lion       dev.example.lion  1.0.0    " + OWN_COPY + "\n"), table);
        String info = Tables.info(new PlatformInfo("1", "jvm", "vectors", List.of(), ServiceCatalog.list(registry.context())));
        assertTrue(info.contains("Activation        broken     test.bundle 1.0.0       " + FAILED), info);
    }

    @Test
    void useSaysWhyARegisteredNameCannotBeUsed() {
        TrainingCommands commands = new TrainingCommands(registry.context(), null, null);
        assertEquals("optimizer 'exploding' is registered but " + FAILED + "; installed: [velvet]",
                failure(() -> commands.use(null, "", false, "optimizer", "exploding")));
        assertEquals("optimizer 'lion' is registered but " + OWN_COPY + "; installed: [velvet]",
                failure(() -> commands.use(null, "", false, "optimizer", "lion")));
        assertEquals("activation 'broken' is registered but " + FAILED + "; installed: [silu]",
                failure(() -> commands.use(null, "", false, "activation", "broken")));
        assertEquals("optimizer 'nope' is not installed; installed: [velvet]",
                failure(() -> commands.use(null, "", false, "optimizer", "nope")));
    }

    @Test
    void trainAddsWhyToTheTrainersNotInstalled() throws Exception {
        // in place of "not installed", which would contradict it
        String refusal = "--optimizer: 'exploding' is not installed; installed: [velvet]";
        TrainingCommands commands = new TrainingCommands(registry.context(), refusing(refusal), new LoadedModel());
        assertEquals("--optimizer: 'exploding' is registered but " + FAILED + "; installed: [velvet]",
                failure(() -> invokeWithDefaults(commands, "train", Map.of("--optimizer", "exploding"))));
        String model = "model 'tiny': its activation 'broken' is not installed; installed: [silu] (choose one with --activation)";
        assertEquals("model 'tiny': its activation 'broken' is registered but " + FAILED
                        + "; installed: [silu] (choose one with --activation)",
                ServiceCatalog.explainNotInstalled(registry.context(), model));
        String unregistered = "--optimizer: 'nope' is not installed; installed: [velvet]";
        assertEquals(unregistered, ServiceCatalog.explainNotInstalled(registry.context(), unregistered));
        registry.withUnresolvedBundle("org.acme.newapi", 38);
        assertEquals(unregistered + "; bundle org.acme.newapi [38] is installed but cannot start, so its services are"
                + " not here (the warning it gave says what it lacks)",
                ServiceCatalog.explainNotInstalled(registry.context(), unregistered));
        String other = "--steps: must be > 0, got 'exploding'";
        assertEquals(other, ServiceCatalog.explainNotInstalled(registry.context(), other), "only 'not installed' is explained");
    }

    /** Getting a component that failed makes DS try, and log, again: what DS knows is asked first. */
    @Test
    void whatDeclarativeServicesKnowsIsReadWithoutCreatingTheComponent() {
        FakeRegistry components = new FakeRegistry()
                .add(ServiceComponentRuntime.class, runtime(Map.of(7L, ComponentConfigurationDTO.FAILED_ACTIVATION,
                        8L, ComponentConfigurationDTO.ACTIVE)))
                // were these got, the first would seem usable and the second not
                .add(OptimizerFactory.class, new Object(), "vesper.optimizer", "failed", "component.name", "a",
                        "component.id", 7L)
                .add(OptimizerFactory.class, null, "vesper.optimizer", "active", "component.name", "b",
                        "component.id", 8L);
        List<ServiceEntry> optimizers = ServiceCatalog.ofKind(components.context(), "OptimizerFactory");
        assertEquals("active", optimizers.get(0).name());
        assertNull(optimizers.get(0).unusable());
        assertEquals("failed", optimizers.get(1).name());
        assertEquals(FAILED, optimizers.get(1).unusable());
        assertEquals(0, components.held(), "the runtime got is ungot");
    }

    @Test
    void completionOffersOnlyWhatCanBeUsed() {
        CompletionChoices choices = new CompletionChoices(registry.context());
        assertEquals(List.of("velvet"),
                choices.at(VesperCommands.command(TrainingCommands.class, "train", null), List.of("--optimizer")).words());
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String failure(Call call) {
        return assertThrows(Errors.CommandFailed.class, call::run).getMessage();
    }

    /** A DS runtime whose component configurations, by id, are in the given states. */
    private static ServiceComponentRuntime runtime(Map<Long, Integer> states) {
        return (ServiceComponentRuntime) Proxy.newProxyInstance(ServiceCatalogTest.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getComponentDescriptionDTO" -> new ComponentDescriptionDTO();
                    case "getComponentConfigurationDTOs" -> states.entrySet().stream().map(e -> {
                        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
                        c.id = e.getKey();
                        c.state = e.getValue();
                        return c;
                    }).toList();
                    default -> throw new AssertionError("unexpected call: ServiceComponentRuntime." + method.getName());
                });
    }

    private static TrainingService refusing(String message) {
        return (TrainingService) Proxy.newProxyInstance(ServiceCatalogTest.class.getClassLoader(),
                new Class<?>[] {TrainingService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("start")) {
                        throw new IllegalArgumentException(message);
                    }
                    throw new AssertionError("unexpected call: TrainingService." + method.getName());
                });
    }

    /** Calls a command as Gogo would, with {@code options} given and every other option at its absent value. */
    private static Object invokeWithDefaults(Object target, String function, Map<String, String> options) throws Exception {
        Method m = List.of(target.getClass().getMethods()).stream().filter(x -> x.getName().equals(function))
                .findFirst().orElseThrow();
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            Class<?> type = m.getParameterTypes()[i];
            Parameter p = m.getParameters()[i].getAnnotation(Parameter.class);
            String value = p == null ? null : options.getOrDefault(p.names()[0], p.absentValue());
            args[i] = type == CommandSession.class ? null : type == String[].class ? new String[0]
                    : type == boolean.class ? Boolean.parseBoolean(value) : value;
        }
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
