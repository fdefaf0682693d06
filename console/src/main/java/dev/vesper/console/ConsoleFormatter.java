package dev.vesper.console;

import dev.vesper.api.train.JobStatus;
import java.util.List;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/**
 * Formats what Vesper commands return, when Gogo prints it: lists of rows as tables, single
 * results as blocks. Pipes and scripts get the objects themselves.
 */
@Component(service = Converter.class)
public final class ConsoleFormatter implements Converter {

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof List<?> list && !list.isEmpty() && level == INSPECT) {
            return formatList(list);
        }
        if (target instanceof PlatformInfo info) {
            return level == INSPECT ? Tables.info(info) : "Vesper " + info.vesperVersion();
        }
        if (target instanceof ServiceEntry e) {
            return e.kind() + " " + e.name() + " (" + e.bundle() + " " + e.version() + ")"
                    + (e.usable() ? "" : ": " + e.unusable());
        }
        if (target instanceof JobStatus s) {
            return level == INSPECT ? Tables.status(s) : Tables.statusLine(s);
        }
        if (target instanceof ModelPreset p) {
            return p.name() + " " + p.parameters() + " parameters";
        }
        if (target instanceof Report r) {
            return r.text();
        }
        return null;
    }

    private static CharSequence formatList(List<?> list) {
        Object first = list.get(0);
        if (first instanceof ModelPreset) {
            return Tables.presets(cast(list));
        }
        if (first instanceof ServiceEntry) {
            return Tables.services(cast(list));
        }
        if (first instanceof JobStatus) {
            return Tables.jobs(cast(list));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<?> list) {
        return (List<T>) list;
    }
}
