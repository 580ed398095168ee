package dev.dera.spark;

import dev.dera.lm.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Model folders on any Hadoop filesystem (file://, hdfs://, s3a://, ...). A local folder is used in place; any
 * other is copied once into {@code java.io.tmpdir/dera-models/} (into a temporary folder, then renamed, so a
 * half-copied folder is never used), under a name made of the URI and each file's name, length and modification
 * time, so a folder whose files change is copied again rather than served stale.
 */
public final class ModelFiles {
    /** The most header bytes copied for a driver check (SafetensorsHeader refuses anything larger). */
    private static final long MAX_HEADER_BYTES = 100_000_000L;

    private ModelFiles() {}

    /** A local folder holding the whole model. */
    public static Path localize(String uri, Map<String, String> hadoopConf) {
        return localize(uri, hadoopConf, name -> true, false);
    }

    /**
     * A local folder that driver checks can read without the weights: the model's JSON files and chat_template.jinja,
     * and each safetensors file as its header followed by a sparse gap up to the file's real size (so
     * {@link dev.dera.lm.ModelFolderCheck} checks offsets against the real size and no weight crosses the network).
     */
    public static Path localizeHeaders(String uri, Map<String, String> hadoopConf) {
        return localize(uri, hadoopConf,
                name -> name.endsWith(".json") || name.endsWith(".jinja") || name.endsWith(".safetensors"), true);
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
            boolean headersOnly) {
        if (isLocal(uri)) {
            return Path.of(new org.apache.hadoop.fs.Path(uri).toUri().getPath());
        }
        List<FileStatus> files = list(uri, hadoopConf, include);
        String version = files.stream()
                .map(f -> f.getPath().getName() + ":" + f.getLen() + ":" + f.getModificationTime())
                .collect(Collectors.joining(","));
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "dera-models",
                sha256(uri + "\n" + version) + (headersOnly ? "-headers" : ""));
        if (Files.isDirectory(target)) {
            return target;
        }
        Path staging = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            for (FileStatus file : files) {
                Path copy = staging.resolve(file.getPath().getName());
                try (InputStream in = open(file, hadoopConf)) {
                    if (headersOnly && copy.toString().endsWith(".safetensors")) {
                        copyHeader(in, file.getLen(), copy);
                    } else {
                        Files.copy(in, copy);
                    }
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

    /** Copies the length prefix and at most {@link #MAX_HEADER_BYTES} of header, then extends the copy sparsely. */
    private static void copyHeader(InputStream in, long size, Path copy) throws IOException {
        byte[] prefix = in.readNBytes(8);
        long headerLength = prefix.length < 8 ? 0
                : ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int copied = (int) Math.max(0, Math.min(Math.min(headerLength, MAX_HEADER_BYTES), size - prefix.length));
        try (RandomAccessFile out = new RandomAccessFile(copy.toFile(), "rw")) {
            out.write(prefix);
            out.write(in.readNBytes(copied));
            out.setLength(size);
        }
    }

    static String sha256(String text) {
        return Sha256.ofText(text).substring(0, 24);
    }
}
