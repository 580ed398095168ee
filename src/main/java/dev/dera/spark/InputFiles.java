package dev.dera.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Driver checks of the input's files before Spark reads them: something matches the path, there is at least one
 * data file (Spark's hidden {@code _*} and {@code .*} files aside), the first one can be read, and its first bytes
 * agree with the format (Parquet files start with {@code PAR1}). Each failure is one line.
 */
final class InputFiles {
    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private InputFiles() {}

    static void requireReadable(Configuration conf, String path, String format) {
        Path input = new Path(path);
        try {
            FileSystem fs = input.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(input);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("input " + path + " does not exist (input.path, --input)");
            }
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus match : matches) {
                addDataFiles(fs, match, files);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("input " + path + " has no data files; there is nothing to generate");
            }
            requireFormat(fs, files.get(0), path, format);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read input " + path + ": " + e.getMessage(), e);
        }
    }

    private static void addDataFiles(FileSystem fs, FileStatus status, List<FileStatus> files) throws IOException {
        String name = status.getPath().getName();
        if (name.startsWith("_") || name.startsWith(".")) {
            return;
        }
        if (status.isFile()) {
            files.add(status);
            return;
        }
        for (FileStatus child : fs.listStatus(status.getPath())) {
            addDataFiles(fs, child, files);
        }
    }

    private static void requireFormat(FileSystem fs, FileStatus file, String path, String format) throws IOException {
        byte[] head;
        try (InputStream in = fs.open(file.getPath())) {
            head = in.readNBytes(PARQUET_MAGIC.length);
        }
        boolean parquet = Arrays.equals(head, PARQUET_MAGIC);
        if (parquet && format.equals("json")) {
            throw new IllegalArgumentException("input " + path + " is Parquet (" + file.getPath().getName()
                    + " starts with PAR1) but input.format is json; use --input-format parquet");
        }
        if (!parquet && format.equals("parquet")) {
            throw new IllegalArgumentException("input " + path + " is not Parquet (" + file.getPath().getName()
                    + " does not start with PAR1); use --input-format json for JSON Lines");
        }
    }
}
