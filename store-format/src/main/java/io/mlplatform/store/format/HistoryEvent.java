package io.mlplatform.store.format;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One change to a model, as kept in its append-only history ({@code MODEL/history/SEQUENCE.json}).
 *
 * @param sequence position in the model's history, from 1; taken from the file name
 * @param at ISO-8601 instant
 * @param by who: {@code $MLPLATFORM_USER}, else the operating-system user
 * @param alias the alias changed or decided on (promote, rollback, gate decisions), else null
 * @param from the alias's version before (promote, rollback, gate decisions: the production version
 *     the candidate was compared with), the parent version (publish) or the deleted version; null
 *     when there was none
 * @param to the alias's version after, the published version or the gate's candidate; null for
 *     delete
 * @param reason why, in words
 * @param run retrain events only: the run's record (start, end, data files, outcome, scores, log),
 *     else null
 */
public record HistoryEvent(
    long sequence,
    String at,
    String by,
    Action action,
    String alias,
    Integer from,
    Integer to,
    String reason,
    java.util.Map<String, Object> run) {

  public HistoryEvent(
      long sequence,
      String at,
      String by,
      Action action,
      String alias,
      Integer from,
      Integer to,
      String reason) {
    this(sequence, at, by, action, alias, from, to, reason, null);
  }

  public enum Action {
    PUBLISH,
    PROMOTE,
    ROLLBACK,
    DELETE,
    /** The promotion gate accepted a new version; a PROMOTE event follows. */
    GATE_PASSED,
    /** The promotion gate kept the current version; nothing else changed. */
    GATE_FAILED,
    /**
     * A scheduled or one-shot retraining run ended (or was skipped): {@code to} is the version it
     * published, if any, {@code from} production when it started, {@code run} the details.
     */
    RETRAIN;

    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Action fromKey(String key) {
      return Arrays.stream(values())
          .filter(a -> a.key().equals(key))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown action '"
                          + key
                          + "' (known: "
                          + Arrays.stream(values())
                              .map(Action::key)
                              .collect(Collectors.joining(", "))
                          + ")"));
    }
  }

  /** The same event at another place in the log (the store numbers events as it appends them). */
  public HistoryEvent withSequence(long newSequence) {
    return new HistoryEvent(newSequence, at, by, action, alias, from, to, reason, run);
  }
}
