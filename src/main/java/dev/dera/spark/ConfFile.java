package dev.dera.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code conf/*.conf} files: one {@code key = value} per line, {@code #} starts a comment line, blank lines
 * are skipped, a later key replaces an earlier one. Values are taken verbatim after trimming (no quoting rules;
 * list values such as {@code stop.strings} are JSON arrays).
 */
public final class ConfFile {
    private ConfFile() {}

    /** The file's keys; a missing or unreadable file is a one-line {@link IllegalArgumentException}. */
    public static Map<String, String> read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("config file " + absolute + " does not exist (--conf)");
        }
        try {
            return parse(Files.readAllLines(absolute), absolute.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + absolute + ": " + e, e);
        }
    }

    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected \"key = value\", got \""
                        + line + "\"");
            }
            values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
        }
        return values;
    }
}
