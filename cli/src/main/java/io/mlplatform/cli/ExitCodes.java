package io.mlplatform.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exit-code table of every command. 0, 1 and 2 mean the same everywhere; 3 to 5 are
 * outcomes that only some commands have, and each of those names itself in the text.
 */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** Code to meaning, in the words every --help footer and docs/cli.md use. */
  public static final Map<String, String> TABLE = table();

  private ExitCodes() {}

  private static Map<String, String> table() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("0", "done");
    table.put(
        "1", "failed: training, scoring, the store or its file system failed, or a run timed out");
    table.put(
        "2",
        "usage or configuration error: a bad option, spec or config file, an unknown model, version or"
            + " alias, a renamed option or environment variable");
    table.put(
        "3",
        "serve: the model store cannot be opened; retrain: published, but the promotion gate kept"
            + " production; cluster status: a process is not running");
    table.put(
        "4",
        "retrain: skipped, no new data since the latest version; monitor: no prediction log file of"
            + " the model in the period");
    table.put("5", "retrain: skipped, a run of this model is still going");
    return table;
  }

  /** The table as picocli's usage help shows it. */
  static Map<String, String> usageList() {
    return TABLE;
  }
}
