package dev.dera.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a chat template's Jinja source so that jinjava reads it as Jinja does, where the two disagree on
 * constructs common in Hugging Face chat templates:
 * <ul>
 *   <li>Jinja drops a single trailing newline of the template;</li>
 *   <li>Python's reversing slice {@code seq[::-1]}, which jinjava cannot parse, becomes {@code seq|reverse};</li>
 *   <li>keyword values of {@code namespace(...)} are parenthesised: jinjava binds {@code n=a|length - 1} as
 *       {@code (n=a|length) - 1}.</li>
 * </ul>
 */
final class JinjaSource {
    private static final Pattern NAMESPACE_CALL = Pattern.compile("\\bnamespace\\(");
    private static final Pattern KEYWORD = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=(?!=)(.*)$",
            Pattern.DOTALL);

    private JinjaSource() {}

    static String forJinjava(String source) {
        String text = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        return parenthesiseNamespaceKeywords(text.replace("[::-1]", "|reverse"));
    }

    private static String parenthesiseNamespaceKeywords(String text) {
        StringBuilder out = new StringBuilder();
        Matcher call = NAMESPACE_CALL.matcher(text);
        int copied = 0;
        while (call.find(copied)) {
            List<String> arguments = new ArrayList<>();
            int close = scanArguments(text, call.end(), arguments);
            if (close < 0) {
                break;
            }
            out.append(text, copied, call.end());
            for (int i = 0; i < arguments.size(); i++) {
                Matcher keyword = KEYWORD.matcher(arguments.get(i));
                out.append(i == 0 ? "" : ",").append(keyword.matches()
                        ? keyword.group(1) + "=(" + keyword.group(2).trim() + ")" : arguments.get(i));
            }
            out.append(')');
            copied = close + 1;
        }
        return out.append(text.substring(copied)).toString();
    }

    /**
     * Splits the arguments of a call starting at {@code from} at their top-level commas (skipping quoted strings
     * and nested brackets) into {@code arguments}; returns the index of the closing ')', or -1 when there is none.
     */
    private static int scanArguments(String text, int from, List<String> arguments) {
        int depth = 0;
        int start = from;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(text, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (c == ')' || (c == ',' && depth == 0)) {
                if (c == ',' || !text.substring(start, i).isBlank()) {
                    arguments.add(text.substring(start, i));
                }
                if (c == ')') {
                    return i;
                }
                start = i + 1;
            } else if (c == ']' || c == '}') {
                return -1;
            }
        }
        return -1;
    }

    private static int endOfString(String text, int quote) {
        char q = text.charAt(quote);
        for (int i = quote + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == q) {
                return i;
            }
        }
        return text.length();
    }
}
