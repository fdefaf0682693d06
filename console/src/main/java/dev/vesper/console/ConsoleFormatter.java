package dev.vesper.console;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** Formats the data that Vesper commands return, as Gogo prints it; pipes get the objects. */
@Component(service = Converter.class)
public final class ConsoleFormatter implements Converter {

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof PlatformInfo info) {
            return level == INSPECT ? Tables.info(info) : "Vesper " + info.vesperVersion();
        }
        if (target instanceof ServiceEntry e) {
            return e.kind() + " " + e.name() + " (" + e.bundle() + " " + e.version() + ")";
        }
        return null;
    }
}
