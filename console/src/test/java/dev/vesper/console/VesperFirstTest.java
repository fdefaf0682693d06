package dev.vesper.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;

class VesperFirstTest {
    /** A session that only keeps variables: all the listener touches. */
    private static CommandSession session(Map<String, Object> vars) {
        return (CommandSession) Proxy.newProxyInstance(CommandSession.class.getClassLoader(),
                new Class<?>[] {CommandSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> vars.get((String) args[0]);
                    case "put" -> vars.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void vesperCommandsComeFirstWhateverTheProfileSet() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("SCOPE", "gogo:*");
        CommandSession s = session(vars);
        VesperFirst listener = new VesperFirst();
        listener.beforeExecute(s, "load /some/checkpoint");
        assertEquals("vesper:*:gogo:*", vars.get("SCOPE"));
        listener.beforeExecute(s, "generate hello");
        assertEquals("vesper:*:gogo:*", vars.get("SCOPE"), "put first once, not again and again");
    }

    @Test
    void aSessionWithoutScopeSearchesVesperThenEverything() {
        Map<String, Object> vars = new HashMap<>();
        new VesperFirst().beforeExecute(session(vars), "info");
        assertEquals("vesper:*:*", vars.get("SCOPE"));
    }
}
