package dev.dera.eval;

import dev.dera.eval.LambdaTable.LambdaRow;
import dev.dera.eval.RealignmentReport.Retrained;
import java.util.Base64;
import java.util.Locale;

/** {@code report.html}: one self-contained page (the chart inlined as base64) with the recommendation and table. */
final class ReportPage {
    private static final String STYLE = "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th{background:#f4f4f4}tr.recommended{background:#e8f5e9;font-weight:bold}"
            + ".recommendation{font-size:1.15em;padding:.6em;border-left:4px solid #2ca02c;background:#f6fbf6}";

    private ReportPage() {
    }

    static String html(RealignmentReport report, byte[] png) {
        Recommendation recommendation = report.recommendation();
        String verdict = recommendation.lambda().isPresent()
                ? "Recommended: <b>lambda = " + LambdaTable.trim(recommendation.lambda().getAsDouble()) + "</b>. "
                : "No lambda is recommended. ";
        StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>DeRa realignment report</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>DeRa realignment report</h1>\n")
                .append("<p>Output <code>").append(escape(report.input())).append("</code>, reward <code>")
                .append(escape(report.reward())).append("</code>, KL budget ")
                .append(report.klBudget().map(b -> LambdaTable.trim(b) + " nats").orElse("none")).append(".</p>\n")
                .append("<p class=\"recommendation\">")
                .append(verdict)
                .append(escape(recommendation.reason())).append(".</p>\n")
                .append("<img alt=\"reward versus KL to the reference, one point per lambda\"")
                .append(" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n")
                .append("<h2>Per lambda</h2>\n<table><tr><th>lambda</th><th>rows</th><th>error rows</th>")
                .append("<th>mean reward [95% CI]</th><th>mean KL to reference, nats [95% CI]</th>")
                .append("<th>mean completion tokens</th></tr>\n");
        for (LambdaRow row : report.lambdas()) {
            boolean chosen =
                    recommendation.lambda().isPresent() && recommendation.lambda().getAsDouble() == row.lambda();
            page.append(chosen ? "<tr class=\"recommended\">" : "<tr>")
                    .append(cells(LambdaTable.trim(row.lambda()), row));
        }
        page.append("</table>\n");
        if (!report.retrained().isEmpty()) {
            page.append("<h2>Retrained models (decoded at lambda 1 against the same reference)</h2>\n<table><tr>")
                    .append("<th>beta</th><th>rows</th><th>error rows</th><th>mean reward [95% CI]</th>")
                    .append("<th>mean KL to reference, nats [95% CI]</th><th>mean completion tokens</th></tr>\n");
            for (Retrained model : report.retrained()) {
                page.append("<tr>").append(cells(LambdaTable.trim(model.beta()), model.row()));
            }
            page.append("</table>\n");
        }
        page.append("<p>Intervals: percentile bootstrap over prompts (").append(report.bootstrap().resamples())
                .append(" resamples of the prompt_ids, seed ").append(report.bootstrap().seed())
                .append("); means over rows without error.</p>\n</body></html>\n");
        return page.toString();
    }

    private static String cells(String key, LambdaRow row) {
        return "<td>" + escape(key) + "</td><td>" + row.rows() + "</td><td>" + row.errorRows() + "</td><td>"
                + LambdaTable.withInterval(row.meanReward(), row.rewardInterval()) + "</td><td>"
                + LambdaTable.withInterval(row.meanKlToRef(), row.klInterval()) + "</td><td>"
                + String.format(Locale.ROOT, "%.2f", row.meanCompletionTokens()) + "</td></tr>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
