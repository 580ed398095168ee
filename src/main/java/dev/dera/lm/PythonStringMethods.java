package dev.dera.lm;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python {@code str} methods that Hugging Face chat templates call on strings ({@code startswith},
 * {@code endswith}, {@code strip}, {@code lstrip}, {@code rstrip}, {@code split}, {@code lower}, {@code upper},
 * {@code replace}), with Python's meaning, for jinjava, which otherwise offers Java's {@code String} methods.
 */
final class PythonStringMethods extends ELResolver {
    private static final Set<String> METHODS =
            Set.of("startswith", "endswith", "strip", "lstrip", "rstrip", "split", "lower", "upper", "replace");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String text) || !METHODS.contains(String.valueOf(method))) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(text, String.valueOf(method), args);
        context.setPropertyResolved(true);
        return result;
    }

    private static Object call(String text, String method, Object[] args) {
        switch (method) {
            case "startswith":
                return prefixes(args).stream().anyMatch(text::startsWith);
            case "endswith":
                return prefixes(args).stream().anyMatch(text::endsWith);
            case "strip":
                return stripEnd(stripStart(text, chars(args)), chars(args));
            case "lstrip":
                return stripStart(text, chars(args));
            case "rstrip":
                return stripEnd(text, chars(args));
            case "split":
                return split(text, args.length == 0 || args[0] == null ? null : args[0].toString());
            case "lower":
                return text.toLowerCase(Locale.ROOT);
            case "upper":
                return text.toUpperCase(Locale.ROOT);
            default:
                return text.replace(arg(args, 0), arg(args, 1));
        }
    }

    /** startswith/endswith take a string or a tuple (here a list) of strings. */
    private static List<String> prefixes(Object[] args) {
        if (args.length > 0 && args[0] instanceof Iterable<?> many) {
            List<String> all = new ArrayList<>();
            many.forEach(item -> all.add(String.valueOf(item)));
            return all;
        }
        return List.of(arg(args, 0));
    }

    /** The characters to strip: Python's default (null) is whitespace. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : args[0].toString();
    }

    private static boolean stripped(int codePoint, String chars) {
        return chars == null ? Character.isWhitespace(codePoint) : chars.indexOf(codePoint) >= 0;
    }

    private static String stripStart(String text, String chars) {
        int start = 0;
        while (start < text.length() && stripped(text.codePointAt(start), chars)) {
            start += Character.charCount(text.codePointAt(start));
        }
        return text.substring(start);
    }

    private static String stripEnd(String text, String chars) {
        int end = text.length();
        while (end > 0 && stripped(text.codePointBefore(end), chars)) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(0, end);
    }

    /** Python's split: on a literal separator (keeping empty parts), or without one on runs of whitespace. */
    private static List<String> split(String text, String separator) {
        if (separator == null) {
            String trimmed = stripEnd(stripStart(text, null), null);
            return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("split: empty separator");
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, from)) {
            parts.add(text.substring(from, at));
            from = at + separator.length();
        }
        parts.add(text.substring(from));
        return parts;
    }

    private static String arg(Object[] args, int index) {
        if (args.length <= index || args[index] == null) {
            throw new IllegalArgumentException("string method needs " + (index + 1) + " argument(s)");
        }
        return args[index].toString();
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not a property resolver: leaves every property to the resolvers after it
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
