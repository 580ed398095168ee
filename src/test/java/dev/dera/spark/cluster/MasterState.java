package dev.dera.spark.cluster;

import com.google.gson.Gson;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The part of the Master's JSON status ({@code http://master-ui/json/}) that tests look at. */
public record MasterState(int aliveworkers, List<Worker> workers) {
    /** One registered Worker; {@code resources} maps a resource name to the addresses the Worker offers. */
    public record Worker(String id, String host, int port, String state, Map<String, Resource> resources) {
        public boolean isAlive() {
            return "ALIVE".equals(state);
        }
    }

    /** A resource a Worker offers, as its discovery script reported it. */
    public record Resource(String name, List<String> addresses) {}

    static MasterState parse(String json) {
        return new Gson().fromJson(json, MasterState.class);
    }

    /** The Worker that listens on {@code port}, if it ever registered. */
    public Optional<Worker> workerOnPort(int port) {
        return workers.stream().filter(worker -> worker.port() == port).reduce((older, newer) -> newer);
    }
}
