package dev.dera.eval;

import dev.dera.eval.LambdaTable.LambdaRow;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The lambda to use: the highest mean reward among the lambdas whose mean KL to the reference is within the budget
 * (every lambda when there is no budget), with the reason in words, also when no lambda qualifies.
 *
 * @param lambda empty when no lambda qualifies
 */
public record Recommendation(OptionalDouble lambda, String reason) {

    /** Chooses from {@code table}; {@code klBudget} in nats, empty for no budget. */
    public static Recommendation choose(List<LambdaRow> table, Optional<Double> klBudget) {
        List<LambdaRow> rewarded = table.stream()
                .filter(row -> !Double.isNaN(row.meanReward()) && !Double.isNaN(row.meanKlToRef())).toList();
        if (rewarded.isEmpty()) {
            return new Recommendation(OptionalDouble.empty(), "no lambda has a scored row without error");
        }
        List<LambdaRow> within = rewarded.stream()
                .filter(row -> klBudget.isEmpty() || row.meanKlToRef() <= klBudget.get()).toList();
        if (within.isEmpty()) {
            LambdaRow closest = rewarded.stream().min(Comparator.comparingDouble(LambdaRow::meanKlToRef)).orElseThrow();
            return new Recommendation(OptionalDouble.empty(), String.format(Locale.ROOT,
                    "no lambda has a mean KL to the reference within the budget of %s nats; the smallest is %.4f"
                            + " nats at lambda %s", LambdaTable.trim(klBudget.get()), closest.meanKlToRef(),
                    LambdaTable.trim(closest.lambda())));
        }
        LambdaRow best = within.stream().max(Comparator.comparingDouble(LambdaRow::meanReward)).orElseThrow();
        String among = klBudget.map(budget -> String.format(Locale.ROOT,
                "among the %d of %d lambdas whose mean KL to the reference is within the budget of %s nats",
                within.size(), rewarded.size(), LambdaTable.trim(budget)))
                .orElse("among all " + rewarded.size() + " lambdas (no KL budget given)");
        return new Recommendation(OptionalDouble.of(best.lambda()), String.format(Locale.ROOT,
                "lambda %s has the highest mean reward (%.4f, mean KL %.4f nats) %s", LambdaTable.trim(best.lambda()),
                best.meanReward(), best.meanKlToRef(), among));
    }
}
