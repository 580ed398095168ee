package dev.dera.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Workers of a Spark standalone cluster offer now, read from the Master's JSON status page
 * ({@code http://master:8080/json/}), described in one line per alive Worker.
 */
final class StandaloneOffers {
    private StandaloneOffers() {}

    /** The Master web UI of {@code spark://host:port[,host2:port2]}: its first host, port 8080. */
    static String defaultWebUi(String master) {
        String hostPort = master.substring("spark://".length()).split(",")[0];
        int colon = hostPort.lastIndexOf(':');
        return "http://" + (colon < 0 ? hostPort : hostPort.substring(0, colon)) + ":8080";
    }

    /** The alive Workers' free cores, memory and resources, or why the status page could not tell. */
    static String fetch(String webUi) {
        String url = webUi.replaceAll("/+$", "") + "/json/";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "the Master's status page " + url + " answered " + response.statusCode();
            }
            return "the cluster offers (" + url + "): " + describe(response.body());
        } catch (IOException | IllegalArgumentException e) {
            return "the Master's status page " + url + " did not answer (" + e.getMessage()
                    + "; set spark.dera.masterWebUi to its web UI)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the Master's status page " + url + " was not read (interrupted)";
        }
    }

    /** The alive Workers of a status page, e.g. {@code worker 10.0.0.5:7078 with 2 of 8 cores, 1024 of 4096 MB free}. */
    static String describe(String masterJson) {
        List<String> workers = new ArrayList<>();
        for (JsonElement element : JsonParser.parseString(masterJson).getAsJsonObject().getAsJsonArray("workers")) {
            JsonObject worker = element.getAsJsonObject();
            if ("ALIVE".equals(worker.get("state").getAsString())) {
                workers.add(String.format(Locale.ROOT, "worker %s:%d with %d of %d cores, %d of %d MB free, %s",
                        worker.get("host").getAsString(), worker.get("port").getAsInt(),
                        worker.get("coresfree").getAsInt(), worker.get("cores").getAsInt(),
                        worker.get("memoryfree").getAsLong(), worker.get("memory").getAsLong(),
                        freeResources(worker)));
            }
        }
        return workers.isEmpty() ? "no alive worker" : String.join("; ", workers);
    }

    private static String freeResources(JsonObject worker) {
        JsonObject free = worker.has("resourcesfree") ? worker.getAsJsonObject("resourcesfree") : new JsonObject();
        JsonObject all = worker.has("resources") ? worker.getAsJsonObject("resources") : new JsonObject();
        if (all.isEmpty()) {
            return "no GPU or other resource";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonElement> resource : all.entrySet()) {
            int total = resource.getValue().getAsJsonObject().getAsJsonArray("addresses").size();
            int available = free.has(resource.getKey())
                    ? free.getAsJsonObject(resource.getKey()).getAsJsonArray("addresses").size() : 0;
            parts.add(available + " of " + total + " " + resource.getKey() + " free");
        }
        return String.join(", ", parts);
    }
}
