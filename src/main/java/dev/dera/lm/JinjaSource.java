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
            int open = call.end();
            int close = matchingParenthesis(text, open);
            if (close < 0) {
                break;
            }
            out.append(text, copied, open);
            List<String> arguments = new ArrayList<>();
            for (String argument : topLevelArguments(text.substring(open, close))) {
                Matcher keyword = KEYWORD.matcher(argument);
                arguments.add(keyword.matches() ? keyword.group(1) + "=(" + keyword.group(2).trim() + ")" : argument);
            }
            out.append(String.join(", ", arguments)).append(')');
            copied = close + 1;
        }
        return out.append(text.substring(copied)).toString();
    }

    /** Index of the ')' closing the call whose arguments start at {@code from}, skipping quoted strings; or -1. */
    private static int matchingParenthesis(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(text, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return c == ')' ? i : -1;
                }
                depth--;
            }
        }
        return -1;
    }

    private static List<String> topLevelArguments(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(arguments, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i));
                start = i + 1;
            }
        }
        if (!arguments.isBlank()) {
            parts.add(arguments.substring(start));
        }
        return parts;
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
