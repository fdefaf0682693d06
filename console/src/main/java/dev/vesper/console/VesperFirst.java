package dev.vesper.console;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Component;

/**
 * Puts the {@code vesper} scope first in every shell session, so that a bare {@code load}, {@code stop} or
 * {@code export} is Vesper's command. Gogo's default profile searches its own scope first and then every
 * scope, where {@code load} would be {@code System.load} and {@code stop} a bundle's stop.
 */
@Component(service = CommandSessionListener.class)
public final class VesperFirst implements CommandSessionListener {
    static final String SCOPE = "SCOPE";
    static final String FIRST = "vesper:*";

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        Object scope = session.get(SCOPE);
        String path = scope == null ? "*" : scope.toString();
        if (!path.startsWith(FIRST)) {
            session.put(SCOPE, FIRST + ":" + path);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
