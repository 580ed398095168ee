package dev.dera.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of report and evaluate: spark-submit's master when given, else local[*]. */
final class ReportSession {
    private ReportSession() {}

    static SparkSession open(String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName).config("spark.ui.enabled", "false");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }
}
