package dev.vesper.optim.support;

import dev.vesper.api.tensor.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which parameters receive decoupled weight decay (the {@code decay} option).
 *
 * <ul>
 *   <li>{@code matrices} (default): what the model marks with {@link Parameter#decay()}: weight
 *       matrices, never embeddings, norms or biases (spec section 5);</li>
 *   <li>{@code all}, {@code none};</li>
 *   <li>otherwise a comma list of name globs ({@code *} any run of characters, dots included;
 *       {@code ?} one character), such as {@code layers.*.attn.*,layers.*.ffn.w?.weight}. Each glob
 *       must match at least one parameter, so that a typo is an error.</li>
 * </ul>
 */
public final class DecayPolicy {
    public static final String MATRICES = "matrices";
    public static final String ALL = "all";
    public static final String NONE = "none";

    private final String spec;
    private final List<Pattern> globs;

    private DecayPolicy(String spec, List<Pattern> globs) {
        this.spec = spec;
        this.globs = globs;
    }

    public static DecayPolicy matrices() {
        return new DecayPolicy(MATRICES, List.of());
    }

    /** @throws IllegalArgumentException for an empty glob */
    public static DecayPolicy parse(String spec) {
        String s = spec.trim();
        if (s.equals(MATRICES) || s.equals(ALL) || s.equals(NONE)) {
            return new DecayPolicy(s, List.of());
        }
        List<Pattern> globs = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String glob = part.trim();
            if (glob.isEmpty()) {
                throw new IllegalArgumentException("decay: empty name pattern in '" + spec
                        + "' (use matrices, all, none or a comma list of name globs)");
            }
            globs.add(toRegex(glob));
        }
        return new DecayPolicy(s, List.copyOf(globs));
    }

    /** The text this policy was parsed from. */
    public String spec() {
        return spec;
    }

    public boolean decays(Parameter p) {
        switch (spec) {
            case MATRICES:
                return p.decay();
            case ALL:
                return true;
            case NONE:
                return false;
            default:
                for (Pattern g : globs) {
                    if (g.matcher(p.name()).matches()) {
                        return true;
                    }
                }
                return false;
        }
    }

    /** @throws IllegalArgumentException naming a glob that matches none of {@code parameters} */
    public void requireMatches(List<Parameter> parameters) {
        for (Pattern g : globs) {
            boolean any = false;
            for (Parameter p : parameters) {
                any |= g.matcher(p.name()).matches();
            }
            if (!any) {
                throw new IllegalArgumentException("option 'decay': pattern '" + fromRegex(g) + "' matches no parameter");
            }
        }
    }

    private static Pattern toRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '?') {
                if (literal.length() > 0) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(sb.toString());
    }

    private String fromRegex(Pattern g) {
        int i = globs.indexOf(g);
        return spec.split(",", -1)[i].trim();
    }

    @Override
    public String toString() {
        return spec;
    }
}
