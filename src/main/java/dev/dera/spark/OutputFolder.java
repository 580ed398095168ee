package dev.dera.spark;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The layout of an output folder on any Hadoop filesystem (see docs/EXACTLY_ONCE.md):
 * <pre>
 * OUTPUT/_dera_manifest.json         run manifest
 * OUTPUT/_dera/prompts/chunk=K/      validated prompts, staged once, split into chunks by hash of prompt_id
 * OUTPUT/_dera/generations/chunk=K/  committed rows of chunk K (present = complete), laid out as the table
 * OUTPUT/_dera/tmp/                  uncommitted writes
 * OUTPUT/lambda=X/ or OUTPUT/part-*  the published table: the committed chunks' files, moved once all are there
 * </pre>
 * Every commit is one rename of a finished folder, so a chunk is either complete or absent; publishing moves each
 * file with one rename, so a file is in its chunk or in the table, never in both.
 */
final class OutputFolder {
    static final String MANIFEST = "_dera_manifest.json";
    private static final String WORK = "_dera";
    private static final String SUCCESS = "_SUCCESS";

    private final Path root;
    private final FileSystem fs;

    OutputFolder(String path, Configuration conf) {
        root = new Path(path);
        try {
            fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open output " + path, e);
        }
    }

    String root() {
        return root.toString();
    }

    boolean exists() {
        return io(() -> fs.exists(root) && fs.listStatus(root).length > 0);
    }

    /** Creates the output folder, or fails with one line saying why it cannot be created or written. */
    void create() {
        boolean existed = io(() -> fs.exists(root));
        try {
            if (!fs.mkdirs(root)) {
                throw new IOException("mkdirs failed");
            }
            Path probe = new Path(tmp(), "probe-" + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(tmp(), true);
        } catch (IOException e) {
            if (!existed) {
                io(() -> fs.delete(root, true));
            }
            throw new IllegalArgumentException("cannot create the output folder " + root + " (check that its parent"
                    + " exists, is a folder, and is writable): " + e.getMessage(), e);
        }
    }

    Optional<String> readManifest() {
        Path file = new Path(root, MANIFEST);
        return io(() -> {
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
    }

    /** Replaces the manifest atomically (written beside it, then renamed over it). */
    void writeManifest(String json) {
        Path file = new Path(root, MANIFEST);
        Path temp = new Path(tmp(), "manifest-" + UUID.randomUUID());
        io(() -> {
            try (OutputStream out = fs.create(temp, true)) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(file, false);
            return rename(temp, file);
        });
    }

    String stagedPrompts() {
        return new Path(root, WORK + "/prompts").toString();
    }

    boolean promptsStaged() {
        return io(() -> fs.exists(new Path(stagedPrompts())));
    }

    String promptsOfChunk(int chunk) {
        return new Path(stagedPrompts(), "chunk=" + chunk).toString();
    }

    String generationsOfChunk(int chunk) {
        return new Path(root, WORK + "/generations/chunk=" + chunk).toString();
    }

    /** Chunks that have prompts. */
    TreeSet<Integer> stagedChunks() {
        return chunksIn(new Path(stagedPrompts()));
    }

    /** Chunks whose rows are committed. */
    TreeSet<Integer> committedChunks() {
        return chunksIn(new Path(root, WORK + "/generations"));
    }

    /** A fresh folder for an uncommitted write. */
    String newTemp() {
        return new Path(tmp(), UUID.randomUUID().toString()).toString();
    }

    /** Moves a finished write into place in one rename; fails if something is already there. */
    void commit(String temp, String target) {
        io(() -> {
            Path to = new Path(target);
            if (fs.exists(to)) {
                throw new IllegalStateException(target + " is already committed; is another run writing here?");
            }
            fs.mkdirs(to.getParent());
            return rename(new Path(temp), to);
        });
    }

    /**
     * Moves every data file of the committed chunks to the same place in the table (one rename each), then writes
     * {@code _SUCCESS}. After a crash each file is either still in its chunk or already in the table, so calling it
     * again completes the publication.
     */
    void publishChunks() {
        io(() -> {
            Path generations = new Path(root, WORK + "/generations");
            if (fs.exists(generations)) {
                for (FileStatus chunk : fs.listStatus(generations)) {
                    moveDataFiles(chunk.getPath(), root);
                }
            }
            fs.create(new Path(root, SUCCESS), true).close();
            return null;
        });
    }

    /** The published table's data files per partition folder ({@code "lambda=0.5": 16}), or {@code ".": n}. */
    JsonObject publishedFiles() {
        return io(() -> {
            JsonObject files = new JsonObject();
            for (FileStatus entry : fs.listStatus(root)) {
                String name = entry.getPath().getName();
                if (isData(name) && entry.isDirectory()) {
                    files.addProperty(name, dataFiles(entry.getPath()).size());
                }
            }
            int atRoot = dataFiles(root).size();
            if (atRoot > 0) {
                files.addProperty(".", atRoot);
            }
            return files;
        });
    }

    /** Renames the partition folders {@code from=V} of a finished, uncommitted write to {@code to=V}. */
    void renamePartitionColumn(String write, String from, String to) {
        io(() -> {
            for (FileStatus child : fs.listStatus(new Path(write))) {
                String name = child.getPath().getName();
                if (child.isDirectory() && name.startsWith(from + "=")) {
                    rename(child.getPath(), new Path(child.getPath().getParent(), to + name.substring(from.length())));
                }
            }
            return null;
        });
    }

    /** Removes the whole output folder. */
    void delete() {
        io(() -> fs.delete(root, true));
    }

    /** Removes the staged prompts, committed chunks and temporary files once the table is published. */
    void deleteWork() {
        io(() -> fs.delete(new Path(root, WORK), true));
    }

    boolean hasWork() {
        return io(() -> fs.exists(new Path(root, WORK)));
    }

    /** Moves the files under {@code from} to the same relative places under {@code to}; skips _ and . names. */
    private void moveDataFiles(Path from, Path to) throws IOException {
        for (FileStatus entry : fs.listStatus(from)) {
            String name = entry.getPath().getName();
            if (!isData(name)) {
                continue;
            }
            Path target = new Path(to, name);
            if (entry.isDirectory()) {
                fs.mkdirs(target);
                moveDataFiles(entry.getPath(), target);
            } else {
                rename(entry.getPath(), target);
            }
        }
    }

    private List<FileStatus> dataFiles(Path folder) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus entry : fs.listStatus(folder)) {
            if (entry.isFile() && isData(entry.getPath().getName())) {
                files.add(entry);
            }
        }
        return files;
    }

    /** Spark and Hadoop readers skip names starting with _ or . (markers, checksums, work folders). */
    private static boolean isData(String name) {
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private Path tmp() {
        return new Path(root, WORK + "/tmp");
    }

    private boolean rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
        return true;
    }

    private TreeSet<Integer> chunksIn(Path dir) {
        return io(() -> {
            TreeSet<Integer> chunks = new TreeSet<>();
            if (!fs.exists(dir)) {
                return chunks;
            }
            for (FileStatus status : fs.listStatus(dir)) {
                String name = status.getPath().getName();
                if (status.isDirectory() && name.startsWith("chunk=")) {
                    chunks.add(Integer.parseInt(name.substring("chunk=".length())));
                }
            }
            return chunks;
        });
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T io(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("output " + root + ": " + e.getMessage(), e);
        }
    }
}
