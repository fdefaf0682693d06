package dev.vesper.console;

import java.util.List;

/** Plain-text layouts of command results. */
final class Tables {
    private Tables() {
    }

    static String info(PlatformInfo info) {
        StringBuilder sb = new StringBuilder();
        sb.append("Vesper   ").append(info.vesperVersion()).append('\n');
        sb.append("JVM      ").append(info.jvm()).append('\n');
        sb.append("Vectors  ").append(info.vectorPath()).append('\n');
        sb.append("Compute backends:\n");
        for (String b : info.backends()) {
            sb.append("  ").append(b).append('\n');
        }
        sb.append("Services:\n");
        String[][] rows = new String[info.services().size()][];
        for (int i = 0; i < rows.length; i++) {
            ServiceEntry e = info.services().get(i);
            rows[i] = new String[] {e.kind(), e.name(), e.bundle() + " " + e.version()};
        }
        sb.append(table(new String[] {"KIND", "NAME", "BUNDLE"}, List.of(rows)));
        return sb.toString();
    }

    /** Left-aligned columns, two spaces apart, indented by two. */
    static String table(String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        sb.append("  ");
        for (int c = 0; c < cells.length; c++) {
            sb.append(cells[c]);
            if (c < cells.length - 1) {
                sb.append(" ".repeat(width[c] - cells[c].length() + 2));
            }
        }
        sb.append('\n');
    }
}
