package io.mlplatform.store.format;

/**
 * The names a model store gives to what it holds, shared by every reader and writer of the format.
 *
 * <pre>
 * STORE/MODEL/versions/N/manifest.json          the version's contract ({@link Manifest})
 *                       /bundle.zip             the MLeap bundle serving scores with
 *                       /reference-rows.jsonl   held-out rows with training's outputs
 *                       /spark-model/           the fitted pipeline in Spark's own format
 * STORE/MODEL/aliases/ALIAS.json                 an alias such as production ({@link Alias})
 * STORE/MODEL/history/                           the append-only log of alias changes
 * STORE/MODEL/runtime/pin.json                   the pin every serving replica applies ({@link Pin})
 * STORE/MODEL/runtime/routing.json               the canary or shadow rule ({@link RoutingDoc})
 * STORE/MODEL/monitoring/vN/RUN/report.html      a monitor job run over the prediction log, for vN
 *                              /summary.json     the same figures as JSON
 * STORE/MODEL/monitoring/latest.json             the latest run: what it read, and each vN's RUN
 * </pre>
 */
public final class Layout {

  public static final String VERSIONS = "versions";
  public static final String BUNDLE = "bundle.zip";
  public static final String MANIFEST = "manifest.json";
  public static final String REFERENCE_ROWS = "reference-rows.jsonl";

  /** The directory of a version that holds the fitted pipeline in Spark's own format. */
  public static final String SPARK_MODEL = "spark-model";

  /** The alias the promotion gate and rollback manage by default. */
  public static final String PRODUCTION = "production";

  public static final String STAGING_ALIAS = "staging";

  public static final String ALIASES = "aliases";
  public static final String HISTORY = "history";

  /** What operators change at runtime through serving's admin API, read by every replica's poll. */
  public static final String RUNTIME = "runtime";

  public static final String PIN = "pin.json";
  public static final String ROUTING = "routing.json";

  /** The monitor job's reports: {@code monitoring/vN/RUN/} and {@code monitoring/latest.json}. */
  public static final String MONITORING = "monitoring";

  public static final String MONITORING_REPORT = "report.html";
  public static final String MONITORING_SUMMARY = "summary.json";
  public static final String MONITORING_LATEST = "latest.json";

  private Layout() {}
}
