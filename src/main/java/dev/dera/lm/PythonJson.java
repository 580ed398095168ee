package dev.dera.lm;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/**
 * The {@code tojson} filter as Hugging Face chat templates get it: Python's {@code json.dumps} with
 * {@code ensure_ascii=False} ({@code ", "} and {@code ": "} between items, or with {@code indent} one item per
 * line), rather than jinjava's compact JSON.
 */
final class PythonJson implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return dumps(value, args.length > 0 ? Integer.parseInt(args[0]) : -1);
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        return dumps(value, indent == null ? -1 : Integer.parseInt(indent.toString()));
    }

    /** JSON text of maps, lists, arrays, strings, numbers, booleans and null; {@code indent < 0} is one line. */
    static String dumps(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, indent, 0, out);
        return out.toString();
    }

    private static void write(Object value, int indent, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            writeItems('{', '}', map.entrySet(), indent, depth, out);
        } else if (value instanceof Iterable<?> list) {
            writeItems('[', ']', list, indent, depth, out);
        } else if (value instanceof Object[] array) {
            writeItems('[', ']', java.util.Arrays.asList(array), indent, depth, out);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            quote(value.toString(), out);
        }
    }

    private static void writeItems(char open, char close, Iterable<?> items, int indent, int depth,
            StringBuilder out) {
        out.append(open);
        boolean first = true;
        for (Object item : items) {
            out.append(first ? "" : indent < 0 ? ", " : ",");
            newline(indent, depth + 1, out);
            if (item instanceof Map.Entry<?, ?> entry) {
                quote(String.valueOf(entry.getKey()), out);
                out.append(": ");
                write(entry.getValue(), indent, depth + 1, out);
            } else {
                write(item, indent, depth + 1, out);
            }
            first = false;
        }
        if (!first) {
            newline(indent, depth, out);
        }
        out.append(close);
    }

    private static void newline(int indent, int depth, StringBuilder out) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
