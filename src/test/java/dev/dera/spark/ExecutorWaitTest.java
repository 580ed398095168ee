package dev.dera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The parts of the bounded wait for executors that need no cluster: what an executor asks for, what a standalone
 * Master's status page offers, where that page is. The wait itself is tested on a cluster
 * ({@code DeraSubmitOnClusterIT}).
 */
class ExecutorWaitTest {
    private static final String MASTER_JSON = """
            {"url": "spark://10.0.0.1:7077", "aliveworkers": 1, "workers": [
              {"host": "10.0.0.5", "port": 7078, "cores": 8, "coresfree": 2, "memory": 4096, "memoryfree": 1024,
               "resources": {"gpu": {"name": "gpu", "addresses": ["0", "1"]}},
               "resourcesfree": {"gpu": {"name": "gpu", "addresses": ["1"]}}, "state": "ALIVE"},
              {"host": "10.0.0.6", "port": 7078, "cores": 8, "coresfree": 8, "memory": 4096, "memoryfree": 4096,
               "resources": {}, "resourcesfree": {}, "state": "DEAD"}]}
            """;

    @Test
    void asksListCoresMemoryAndEveryResourceAmount() {
        SparkConf conf = new SparkConf(false).set("spark.executor.memory", "24g")
                .set("spark.executor.resource.gpu.amount", "2")
                .set("spark.executor.resource.gpu.discoveryScript", "./gpu-discovery.sh");
        assertEquals("all free cores (spark.executor.cores), 24g memory (spark.executor.memory),"
                + " 2 gpu (spark.executor.resource.gpu.amount)", ExecutorWait.asked(conf));
        assertEquals("1 cores (spark.executor.cores), 1g memory (spark.executor.memory)",
                ExecutorWait.asked(new SparkConf(false).set("spark.executor.cores", "1")));
    }

    @Test
    void offersDescribeTheAliveWorkers() {
        assertEquals("worker 10.0.0.5:7078 with 2 of 8 cores, 1024 of 4096 MB free, 1 of 2 gpu free",
                StandaloneOffers.describe(MASTER_JSON));
        assertEquals("no alive worker", StandaloneOffers.describe("{\"workers\": []}"));
    }

    @Test
    void theMastersWebUiIsPort8080OfItsFirstHost() {
        assertEquals("http://10.0.0.1:8080", StandaloneOffers.defaultWebUi("spark://10.0.0.1:7077"));
        assertEquals("http://a:8080", StandaloneOffers.defaultWebUi("spark://a:7077,b:7077"));
    }

    @Test
    void anUnreachableStatusPageIsSaidSo() {
        String offers = StandaloneOffers.fetch("http://127.0.0.1:1");
        assertTrue(offers.startsWith("the Master's status page http://127.0.0.1:1/json/ did not answer"),
                offers);
    }
}
