package dev.vesper.data.internal.hub;

import java.util.regex.Pattern;

/** Glob patterns over '/'-separated paths: {@code * ? ** [abc] {a,b}}. */
public final class Glob {
    private Glob() {
    }

    public static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0 || path.indexOf('{') >= 0;
    }

    /** The literal directory before the first segment with a wildcard ("" for the root). */
    public static String literalPrefix(String glob) {
        String[] segments = glob.split("/");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.length - 1 && !isGlob(segments[i]); i++) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(segments[i]);
        }
        return sb.toString();
    }

    public static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inBraces = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*':
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                        re.append(slash ? "(?:.*/)?" : ".*");
                        i += slash ? 2 : 1;
                    } else {
                        re.append("[^/]*");
                    }
                    break;
                case '?':
                    re.append("[^/]");
                    break;
                case '[':
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close).replace("\\", "\\\\");
                        re.append('[').append(body.startsWith("!") ? "^" + body.substring(1) : body).append(']');
                        i = close;
                    }
                    break;
                case '{':
                    inBraces = true;
                    re.append("(?:");
                    break;
                case '}':
                    re.append(inBraces ? ")" : "\\}");
                    inBraces = false;
                    break;
                case ',':
                    re.append(inBraces ? "|" : ",");
                    break;
                default:
                    re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
