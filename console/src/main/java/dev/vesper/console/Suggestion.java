package dev.vesper.console;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name a mistyped command or option most likely meant ({@code --step} for {@code --steps},
 * {@code trian} for {@code train}), for a "did you mean" hint. Only a clear winner is offered: a close
 * name that another name is as close to would be a guess.
 */
final class Suggestion {
    /** Words that descriptions use only to join others: one of them names no option. */
    private static final Set<String> COMMON_WORDS = Set.of("and", "the", "for", "per", "with", "from", "its", "each",
            "one", "all", "not", "any", "are", "how", "that", "this", "into", "off", "out", "new", "use");

    private Suggestion() {
    }

    /**
     * The one name that {@code typed} is the start of, else the one name within a few edits of it, closer
     * than any other; empty when there is none.
     */
    static Optional<String> closest(String typed, Collection<String> names) {
        Optional<String> cutShort = onlyExtension(typed, names);
        if (cutShort.isPresent()) {
            return cutShort;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String name : names) {
            int d = distance(lower(typed), lower(name));
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance && !name.equals(best)) {
                tie = true;
            }
        }
        return best != null && !tie && bestDistance <= allowed(typed) ? Optional.of(best) : Optional.empty();
    }

    /**
     * The one name that {@code typed} begins ({@code --optim} for {@code --optimizer}, {@code stat} for
     * {@code status}), or the one of them that begins all the others ({@code --optimizer} before
     * {@code --optimizer-options}).
     */
    private static Optional<String> onlyExtension(String typed, Collection<String> names) {
        if (typed.replace("-", "").length() < 3) {
            return Optional.empty();
        }
        String start = lower(typed);
        List<String> longer = names.stream().filter(n -> lower(n).startsWith(start) && !lower(n).equals(start))
                .distinct().toList();
        return longer.stream().filter(n -> longer.stream().allMatch(other -> lower(other).startsWith(lower(n))))
                .findFirst();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The hint to append to an "unknown ..." message, or "" when nothing is close. */
    static String didYouMean(String typed, Collection<String> names) {
        return closest(typed, names).map(n -> "; did you mean " + n + "?").orElse("");
    }

    /**
     * The hint for a word that is no name but that exactly one name's description uses ({@code --preset}:
     * "--model: preset (tiny, small, ...) or a checkpoint folder"), or "".
     */
    static String describedBy(String word, Map<String, String> descriptions) {
        if (word.length() < 3 || COMMON_WORDS.contains(lower(word))) {
            return "";
        }
        Pattern asWord = Pattern.compile("\\b" + Pattern.quote(word) + "s?\\b", Pattern.CASE_INSENSITIVE);
        List<String> using = descriptions.entrySet().stream().filter(e -> asWord.matcher(e.getValue()).find())
                .map(Map.Entry::getKey).toList();
        return using.size() == 1 ? "; did you mean " + using.get(0) + "? (" + descriptions.get(using.get(0)) + ")"
                : "";
    }

    /** One edit for a short word, up to three for a long one: beyond that, names share little but letters. */
    private static int allowed(String typed) {
        int letters = typed.replace("-", "").length();
        return Math.max(1, Math.min(3, letters / 3));
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
