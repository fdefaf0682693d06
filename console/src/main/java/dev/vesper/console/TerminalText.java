package dev.vesper.console;

/** What may reach the terminal of generated text. */
final class TerminalText {
    private TerminalText() {
    }

    /**
     * Text as a terminal may show it: control characters other than newline and tab, which an
     * undertrained model emits as readily as letters, become their visible symbols (NUL as ␀, ESC
     * as ␛), so that no generated text can move the cursor or change the terminal's state.
     */
    static String printable(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char shown = c == '\n' || c == '\t' ? c
                    : c < 0x20 ? (char) (0x2400 + c) : c == 0x7f ? '\u2421' : c >= 0x80 && c < 0xa0 ? '\uFFFD' : c;
            if (shown != c && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(shown);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
