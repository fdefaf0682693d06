package dev.vesper.optim.support;

import java.util.Map;

/** Writes the flat JSON object of hyperparameters stored in state metadata. */
final class Json {
    private Json() {
    }

    static String object(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            string(sb, e.getKey());
            sb.append(": ");
            Object v = e.getValue();
            if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                sb.append(v);
            } else if (v instanceof Number && Double.isFinite(((Number) v).doubleValue())) {
                sb.append(((Number) v).doubleValue());
            } else {
                string(sb, String.valueOf(v));
            }
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
