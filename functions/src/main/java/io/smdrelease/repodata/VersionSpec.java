package io.smdrelease.repodata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A conda version constraint ({@code conda.models.version.VersionSpec}, conda 25.3.1): {@code >=1.2,<2} (and),
 * {@code 1.2|1.4} (or; {@code ,} binds tighter, parentheses group), the operators {@code == != < <= > >= ~=} and
 * {@code =} (prefix: {@code =1.2} is {@code 1.2.*}), {@code 1.2.*} and {@code 1.2*} (prefix), {@code !=1.2.*} (not
 * the prefix), {@code >=1.2.*} (the {@code .*} is ignored), a bare {@code 1.2} (exactly 1.2, so also 1.2.0),
 * {@code *} (anything), globs such as {@code 1.*.3} and regexes {@code ^1\.[0-9]+$}.
 */
public final class VersionSpec implements Predicate<CondaVersion> {
    private static final Pattern RELATION = Pattern.compile("^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\\S+)$");
    private static final String OPERATOR_START = "=<>!~";

    private final String text;
    private final Predicate<CondaVersion> matcher;

    private VersionSpec(String text, Predicate<CondaVersion> matcher) {
        this.text = text;
        this.matcher = matcher;
    }

    /**
     * Parses a constraint.
     *
     * @throws IllegalArgumentException naming the constraint and what is wrong with it
     */
    public static VersionSpec parse(String text) {
        try {
            return new VersionSpec(text, new Parser(text).parseAll());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("version constraint '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Whether the version string satisfies the constraint; a string that is no conda version never does. */
    public boolean matches(String version) {
        CondaVersion v = CondaVersion.tryParse(version);
        return v != null && matcher.test(v);
    }

    @Override
    public boolean test(CondaVersion version) {
        return matcher.test(version);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Recursive descent over {@code or := and ('|' and)*}, {@code and := term (',' term)*}, {@code term := '(' or ')' | atom}. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Predicate<CondaVersion> parseAll() {
            Predicate<CondaVersion> p = or();
            skipSpaces();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected '" + s.charAt(pos) + "' at position " + (pos + 1));
            }
            return p;
        }

        private Predicate<CondaVersion> or() {
            List<Predicate<CondaVersion>> any = new ArrayList<>();
            any.add(and());
            while (peek() == '|') {
                pos++;
                any.add(and());
            }
            return any.size() == 1 ? any.get(0) : v -> any.stream().anyMatch(p -> p.test(v));
        }

        private Predicate<CondaVersion> and() {
            List<Predicate<CondaVersion>> all = new ArrayList<>();
            all.add(term());
            while (peek() == ',') {
                pos++;
                all.add(term());
            }
            return all.size() == 1 ? all.get(0) : v -> all.stream().allMatch(p -> p.test(v));
        }

        private Predicate<CondaVersion> term() {
            if (peek() == '(') {
                pos++;
                Predicate<CondaVersion> inner = or();
                if (peek() != ')') {
                    throw new IllegalArgumentException("'(' is not closed");
                }
                pos++;
                return inner;
            }
            skipSpaces();
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '^') {
                int end = s.indexOf('$', pos);
                if (end < 0) {
                    throw new IllegalArgumentException("a regex must start with '^' and end with '$'");
                }
                pos = end + 1;
            } else {
                while (pos < s.length() && "()|,".indexOf(s.charAt(pos)) < 0) {
                    pos++;
                }
            }
            String atom = s.substring(start, pos).strip();
            if (atom.isEmpty()) {
                throw new IllegalArgumentException("an empty constraint at position " + (start + 1));
            }
            return atom(atom);
        }

        private char peek() {
            skipSpaces();
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }

    private static Predicate<CondaVersion> atom(String spec) {
        if (spec.startsWith("^") || spec.endsWith("$")) {
            if (!spec.startsWith("^") || !spec.endsWith("$")) {
                throw new IllegalArgumentException("a regex must start with '^' and end with '$'");
            }
            Pattern regex = Pattern.compile(spec);
            return v -> regex.matcher(v.normalized()).lookingAt();
        }
        if (OPERATOR_START.indexOf(spec.charAt(0)) >= 0) {
            var m = RELATION.matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + spec + "' has an invalid operator");
            }
            String op = m.group(1);
            String operand = m.group(2);
            if (operand.endsWith(".*")) {
                operand = operand.substring(0, operand.length() - 2);
                if (op.equals("!=")) {
                    op = "!=startswith";
                } else if (op.equals("~=")) {
                    throw new IllegalArgumentException("'" + spec + "': ~= cannot take '.*'");
                }
            }
            CondaVersion x = CondaVersion.parse(operand);
            return switch (op) {
                case "==" -> v -> v.compareTo(x) == 0;
                case "!=" -> v -> v.compareTo(x) != 0;
                case "<=" -> v -> v.compareTo(x) <= 0;
                case ">=" -> v -> v.compareTo(x) >= 0;
                case "<" -> v -> v.compareTo(x) < 0;
                case ">" -> v -> v.compareTo(x) > 0;
                case "=" -> v -> v.startsWith(x);
                case "!=startswith" -> v -> !v.startsWith(x);
                case "~=" -> compatible(x);
                default -> throw new IllegalArgumentException("'" + spec + "' has an invalid operator");
            };
        }
        if (spec.equals("*")) {
            return v -> true;
        }
        String withoutTrailingStars = spec.replaceAll("\\*+$", "");
        if (withoutTrailingStars.indexOf('*') >= 0) {
            String rx = "^(?:" + spec.replace(".", "\\.").replace("+", "\\+").replace("*", ".*") + ")$";
            Pattern glob = Pattern.compile(rx);
            return v -> glob.matcher(v.normalized()).matches();
        }
        if (spec.endsWith("*")) {
            String prefix = withoutTrailingStars.endsWith(".")
                    ? withoutTrailingStars.substring(0, withoutTrailingStars.length() - 1)
                    : withoutTrailingStars;
            CondaVersion x = CondaVersion.parse(prefix);
            return v -> v.startsWith(x);
        }
        if (spec.indexOf('@') >= 0) {
            throw new IllegalArgumentException("'" + spec + "' is not a version");
        }
        CondaVersion x = CondaVersion.parse(spec);
        return v -> v.compareTo(x) == 0;
    }

    /** {@code ~=1.4.5}: {@code >=1.4.5} and a prefix match on {@code 1.4}. */
    private static Predicate<CondaVersion> compatible(CondaVersion x) {
        String s = x.normalized();
        int dot = s.lastIndexOf('.');
        CondaVersion prefix = CondaVersion.parse(dot < 0 ? s : s.substring(0, dot));
        return v -> v.compareTo(x) >= 0 && v.startsWith(prefix);
    }
}
