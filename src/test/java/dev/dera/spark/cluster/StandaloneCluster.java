package dev.dera.spark.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests, on a distribution of Spark's own jars
 * ({@link SparkInstall}): a Master and Workers, each its own JVM, with free ports, a {@code spark-defaults.conf} of
 * small memory settings and every log in one temporary folder. Jobs go in through {@code jobs/dera-submit}
 * ({@link #deraSubmit}) or the distribution's {@code bin/spark-submit} ({@link #submit}), in client mode.
 * {@link #close()} (also run by a shutdown hook) kills every JVM, executors included, and deletes the folder.
 */
public final class StandaloneCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final String DAEMON_HEAP = "-Xmx256m";
    /** The cluster's {@code conf/spark-defaults.conf}: small JVMs, no web UI for applications. */
    private static final String SPARK_DEFAULTS = String.join("\n",
            "spark.driver.memory 512m", "spark.executor.memory 512m", "spark.ui.enabled false", "");

    private final Path directory;
    private final List<String> jvmFlags;
    private final int masterPort = freePort();
    private final int masterWebUiPort = freePort();
    private final List<Worker> workers = new ArrayList<>();
    private final List<JvmProcess> submissions = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "standalone-cluster-shutdown");
    private final AtomicBoolean closed = new AtomicBoolean();
    private SparkInstall spark;
    private Map<String, String> environment;
    private JvmProcess master;

    private record Worker(int port, JvmProcess process) {}

    private StandaloneCluster(List<String> jvmFlags, Path directory) {
        this.jvmFlags = jvmFlags;
        this.directory = directory;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a Master and one Worker per spec and waits until every Worker has registered. On failure it prints
     * the daemons' logs to stderr, stops what it started and throws.
     */
    public static StandaloneCluster start(WorkerSpec... workerSpecs) throws IOException, InterruptedException {
        List<String> jvmFlags = new ArrayList<>(ProjectPaths.jvmOptions());
        jvmFlags.addAll(JvmProcess.LEAN_FLAGS);
        StandaloneCluster cluster =
                new StandaloneCluster(List.copyOf(jvmFlags), Files.createTempDirectory("dera-cluster-"));
        try {
            cluster.spark = SparkInstall.distribution();
            Path conf = Files.createDirectories(cluster.directory.resolve("conf"));
            Files.writeString(conf.resolve("spark-defaults.conf"), SPARK_DEFAULTS);
            cluster.environment = cluster.spark.environment(conf,
                    Files.createDirectories(cluster.directory.resolve("local")), JvmProcess.LEAN_FLAGS);
            cluster.startMaster();
            for (WorkerSpec spec : workerSpecs) {
                cluster.startWorker(spec);
            }
            cluster.awaitAliveWorkers(workerSpecs.length);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.printLogs(System.err);
            cluster.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:port}, for {@code --master}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    /** The temporary folder with the Spark home, the daemons' logs and the Workers' work folders. */
    public Path directory() {
        return directory;
    }

    /** The Master's current view of the cluster, from its JSON status page. */
    public MasterState masterState() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(masterWebUi() + "/json/"))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("master status page answered " + response.statusCode());
        }
        return MasterState.parse(response.body());
    }

    /** What the Master knows of the Worker started {@code index}-th (0-based). */
    public MasterState.Worker workerState(int index) throws IOException, InterruptedException {
        int port = workers.get(index).port();
        return masterState().workerOnPort(port)
                .orElseThrow(() -> new IllegalStateException("worker " + index + " never registered"));
    }

    /** {@code http://127.0.0.1:port}: the Master's web UI, whose {@code /json/} is {@link #masterState()}. */
    public String masterWebUi() {
        return "http://" + HOST + ":" + masterWebUiPort;
    }

    /**
     * Runs {@code jobs/dera-submit --master <this> options... -- deraArgs...} in {@code workingDirectory}, as a user
     * would, with this cluster's Spark as {@code SPARK_HOME} and {@code appJar} as the application jar; returns at
     * once.
     */
    public Submission deraSubmit(Path appJar, Path workingDirectory, List<String> options, List<String> deraArgs) {
        List<String> command = new ArrayList<>(List.of("bash", ProjectPaths.jobs().resolve("dera-submit").toString(),
                "--master", masterUrl()));
        command.addAll(options);
        command.add("--");
        command.addAll(deraArgs);
        Map<String, String> env = new HashMap<>(environment);
        env.put("DERA_APP_JAR", appJar.toAbsolutePath().toString());
        return started(command, env, workingDirectory);
    }

    /**
     * Submits {@code bin/spark-submit --master <this> --deploy-mode client --class ... appJar args} and returns at
     * once. The driver and the executors get the flags of {@code jobs/jvm.options}, to which
     * {@code spark.driver.extraJavaOptions} and {@code spark.executor.extraJavaOptions} of the application add.
     */
    public Submission submit(SparkApplication app) {
        Map<String, String> conf = new HashMap<>(app.conf());
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            conf.put(key, String.join(" ", withExtraOptions(ProjectPaths.jvmOptions(), app.conf().get(key))));
        }
        List<String> command = new ArrayList<>(List.of(spark.sparkSubmit().toString(),
                "--master", masterUrl(), "--deploy-mode", "client", "--class", app.mainClass()));
        conf.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
        command.add(app.appJar().toAbsolutePath().toString());
        command.addAll(app.args());
        return started(command, environment, Path.of("").toAbsolutePath());
    }

    private Submission started(List<String> command, Map<String, String> env, Path workingDirectory) {
        String name = "submit-" + (submissions.size() + 1);
        JvmProcess driver = JvmProcess.start(name, command, env, directory.resolve(name + ".log"), workingDirectory);
        submissions.add(driver);
        return new Submission(driver);
    }

    /** Kills the Worker started {@code index}-th (0-based) and its executors at once, as if its machine died. */
    public void killWorker(int index) {
        workers.get(index).process().kill();
    }

    /** Every process the cluster started that runs now: Master, Workers, executors, drivers. */
    List<ProcessHandle> processes() {
        List<JvmProcess> all = new ArrayList<>(daemons());
        all.addAll(submissions);
        return all.stream().flatMap(process -> process.tree().stream()).filter(ProcessHandle::isAlive).toList();
    }

    /** Prints the end of every log: Master, Workers, drivers, and the executors' stdout and stderr. */
    public void printLogs(PrintStream out) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(StandaloneCluster::isLog).sorted().forEach(log -> printTail(log, out));
        } catch (IOException e) {
            out.println("cannot list the logs in " + directory + ": " + e);
        }
    }

    /** Kills every JVM the cluster started (drivers, Workers with their executors, the Master), deletes the folder. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        submissions.forEach(JvmProcess::kill);
        workers.forEach(worker -> worker.process().kill());
        if (master != null) {
            master.kill();
        }
        deleteDirectory();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // close() runs as the hook itself
        }
    }

    private void startMaster() {
        master = startDaemon("master", List.of(), "org.apache.spark.deploy.master.Master", List.of(
                "--host", HOST, "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(masterWebUiPort)), Map.of());
    }

    private void startWorker(WorkerSpec spec) throws IOException {
        String name = "worker-" + workers.size();
        int port = freePort();
        List<String> properties = spec.conf().entrySet().stream()
                .map(entry -> "-D" + entry.getKey() + "=" + entry.getValue())
                .toList();
        JvmProcess process = startDaemon(name, properties, "org.apache.spark.deploy.worker.Worker", List.of(
                "--host", HOST, "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()),
                "--cores", Integer.toString(spec.cores()), "--memory", spec.memory(),
                "--work-dir", Files.createDirectories(directory.resolve(name)).toString(),
                masterUrl()), spec.env());
        workers.add(new Worker(port, process));
    }

    private JvmProcess startDaemon(String name, List<String> properties, String mainClass, List<String> args,
            Map<String, String> extraEnv) {
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add(DAEMON_HEAP);
        flags.addAll(properties);
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(extraEnv);
        return JvmProcess.start(name, flags, spark.classpath(), mainClass, args, env,
                directory.resolve(name + ".log"));
    }

    private void awaitAliveWorkers(int count) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            for (JvmProcess daemon : daemons()) {
                if (!daemon.isAlive()) {
                    throw new IllegalStateException(daemon.name() + " exited while the cluster started; see "
                            + daemon.log());
                }
            }
            if (aliveWorkersOrZero() == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(count + " workers did not register within " + STARTUP_TIMEOUT);
            }
            Thread.sleep(250);
        }
    }

    /** Alive Workers the Master counts, or 0 while its status page does not answer yet. */
    private int aliveWorkersOrZero() throws InterruptedException {
        try {
            return masterState().aliveworkers();
        } catch (IOException notUpYet) {
            return 0;
        }
    }

    private List<JvmProcess> daemons() {
        List<JvmProcess> daemons = new ArrayList<>(List.of(master));
        workers.forEach(worker -> daemons.add(worker.process()));
        return daemons;
    }

    private static List<String> withExtraOptions(List<String> flags, String extraOptions) {
        List<String> all = new ArrayList<>(flags);
        if (extraOptions != null && !extraOptions.isBlank()) {
            all.addAll(Arrays.asList(extraOptions.trim().split("\\s+")));
        }
        return all;
    }

    private static boolean isLog(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".log") || name.equals("stdout") || name.equals("stderr"));
    }

    private static void printTail(Path log, PrintStream out) {
        try {
            List<String> lines = Files.readAllLines(log);
            out.println("===== " + log + " (last " + Math.min(lines.size(), 200) + " of " + lines.size() + " lines)");
            lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(out::println);
        } catch (IOException e) {
            out.println("===== " + log + ": cannot read: " + e);
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
