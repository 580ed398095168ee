package dev.dera.realign;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Plain double-precision versions of the realignment math, written as directly as possible, for the tests. */
final class Reference {

    private Reference() {}

    static double[] mix(double[] ref, double[] aligned, double lambda) {
        double[] z = new double[ref.length];
        for (int v = 0; v < z.length; v++) {
            z[v] = lambda * aligned[v] + (1 - lambda) * ref[v];
        }
        return z;
    }

    static double[] logSoftmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double logSum = Math.log(Arrays.stream(logits).map(x -> Math.exp(x - max)).sum()) + max;
        return Arrays.stream(logits).map(x -> x - logSum).toArray();
    }

    static double kl(double[] logP, double[] logQ) {
        double kl = 0;
        for (int v = 0; v < logP.length; v++) {
            kl += Math.exp(logP[v]) * (logP[v] - logQ[v]);
        }
        return kl;
    }

    /** Token indices by descending probability. */
    static Integer[] descending(double[] probabilities) {
        Integer[] order = IntStream.range(0, probabilities.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer v) -> probabilities[v]).reversed());
        return order;
    }

    /** The distribution a sampled row draws from: softmax(z / T), then top-k, top-p, min-p, renormalized. */
    static double[] filteredDistribution(double[] z, SamplingParams params) {
        double[] scaled = Arrays.stream(z).map(x -> x / params.temperature()).toArray();
        double[] probabilities = Arrays.stream(logSoftmax(scaled)).map(Math::exp).toArray();
        Integer[] order = descending(probabilities);
        int topK = params.topK() == 0 ? z.length : params.topK();
        double topKMass = 0;
        for (int rank = 0; rank < topK; rank++) {
            topKMass += probabilities[order[rank]];
        }
        double maxProbability = probabilities[order[0]];
        double[] kept = new double[z.length];
        double massBefore = 0;
        double keptMass = 0;
        for (int rank = 0; rank < topK; rank++) {
            double p = probabilities[order[rank]];
            boolean inTopP = params.topP() == 1 || massBefore < params.topP() * topKMass;
            if (inTopP && p >= params.minP() * maxProbability) {
                kept[order[rank]] = p;
                keptMass += p;
            }
            massBefore += p;
        }
        for (int v = 0; v < kept.length; v++) {
            kept[v] /= keptMass;
        }
        return kept;
    }
}
