package io.mlplatform.cli;

import io.mlplatform.training.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * mlplatform train: the job's own options (declared once, in training-jobs) plus how to submit it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = TrainOptions.DESCRIPTION,
    footer = {
      "",
      "Runs io.mlplatform.training.TrainCommand under Spark's spark-submit: $SPARK_HOME/bin/spark-submit",
      "when SPARK_HOME names a Spark 3.5 (Scala 2.12) distribution, else SparkSubmit from the project's classpath.",
      "Relative paths in a spec resolve against the current directory."
    })
final class TrainCli extends Launched {

  static final String MAIN_CLASS = "io.mlplatform.training.TrainCommand";

  @Mixin TrainOptions job;

  @Mixin SparkOptions spark;

  @Override
  List<String> plan() {
    List<String> plan = new ArrayList<>(List.of("spark", MAIN_CLASS));
    plan.addAll(spark.plan());
    plan.add("--");
    plan.addAll(job.toArgs());
    return plan;
  }
}
