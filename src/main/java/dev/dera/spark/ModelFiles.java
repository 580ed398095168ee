package dev.dera.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Model folders on any Hadoop filesystem (file://, hdfs://, s3a://, ...). A local folder is used in place; any
 * other is copied once into {@code java.io.tmpdir/dera-models/} (into a temporary folder, then renamed, so a
 * half-copied folder is never used).
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** A local folder holding the whole model. */
    public static Path localize(String uri, Map<String, String> hadoopConf) {
        return localize(uri, hadoopConf, name -> true, "");
    }

    /** A local folder with only the model's small files (JSON, chat_template.jinja): enough for driver checks. */
    public static Path localizeMetadata(String uri, Map<String, String> hadoopConf) {
        return localize(uri, hadoopConf, name -> name.endsWith(".json") || name.endsWith(".jinja"), "-metadata");
    }

    /** The model folder's files whose names pass {@code include}, sorted by name. */
    static List<FileStatus> list(String uri, Map<String, String> hadoopConf, Predicate<String> include) {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        try {
            FileSystem fs = dir.getFileSystem(configuration(hadoopConf));
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus status : fs.listStatus(dir)) {
                if (status.isFile() && include.test(status.getPath().getName())) {
                    files.add(status);
                }
            }
            files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            return files;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list model folder " + uri + ": " + e.getMessage(), e);
        }
    }

    static InputStream open(FileStatus file, Map<String, String> hadoopConf) throws IOException {
        return file.getPath().getFileSystem(configuration(hadoopConf)).open(file.getPath());
    }

    static Configuration configuration(Map<String, String> hadoopConf) {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        return conf;
    }

    static boolean isLocal(String uri) {
        String scheme = new org.apache.hadoop.fs.Path(uri).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    private static Path localize(String uri, Map<String, String> hadoopConf, Predicate<String> include,
            String suffix) {
        if (isLocal(uri)) {
            return Path.of(new org.apache.hadoop.fs.Path(uri).toUri().getPath());
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "dera-models", sha256(uri) + suffix);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path staging = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            for (FileStatus file : list(uri, hadoopConf, include)) {
                try (InputStream in = open(file, hadoopConf)) {
                    Files.copy(in, staging.resolve(file.getPath().getName()));
                }
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Files.isDirectory(target)) {
                return target; // another JVM on this host finished the same copy first
            }
            throw new UncheckedIOException("cannot copy model folder " + uri + " to " + target, e);
        }
        return target;
    }

    static String sha256(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
