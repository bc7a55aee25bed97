package io.mlplatform.cli;

import io.mlplatform.training.batch.BatchScoreOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * mlplatform batch-score: the job's own options (declared once, in training-jobs) plus how to
 * submit it.
 */
@Command(
    name = "batch-score",
    mixinStandardHelpOptions = true,
    description = BatchScoreOptions.DESCRIPTION,
    footer = {
      "",
      "Writes the input columns as they were plus prediction, label, probability, model_name and",
      "model_version. Nulls are filled exactly as the REST service fills them, so the predictions are the",
      "service's. Runs io.mlplatform.training.batch.BatchScoreCommand under spark-submit.",
      "",
      "Example: mlplatform batch-score penguins data/penguins.json /tmp/penguins-scored --option multiLine=true"
    })
final class BatchScoreCli extends Launched {

  static final String MAIN_CLASS = "io.mlplatform.training.batch.BatchScoreCommand";

  @Mixin BatchScoreOptions job;

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
