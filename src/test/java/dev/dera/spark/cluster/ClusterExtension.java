package dev.dera.spark.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that owns the clusters a test starts: after the test it prints their logs if the test failed,
 * then closes them. Use it as {@code @RegisterExtension final ClusterExtension clusters = new ClusterExtension();}.
 */
public final class ClusterExtension implements AfterEachCallback {
    private final List<StandaloneCluster> clusters = new ArrayList<>();

    /** Starts a cluster (see {@link StandaloneCluster#start}) that is closed after the test. */
    public StandaloneCluster start(WorkerSpec... workers) throws IOException, InterruptedException {
        StandaloneCluster cluster = StandaloneCluster.start(workers);
        clusters.add(cluster);
        return cluster;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (StandaloneCluster cluster : clusters) {
            if (context.getExecutionException().isPresent()) {
                cluster.printLogs(System.err);
            }
            cluster.close();
        }
        clusters.clear();
    }
}
