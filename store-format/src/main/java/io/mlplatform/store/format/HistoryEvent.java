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
 * @param by who: {@code $MLPLATFORM_USER}, else the operating-system user; for changes made through
 *     serving's admin API the API key's name ({@code anonymous} with auth off)
 * @param alias the alias changed or decided on (promote, rollback, gate decisions), else null
 * @param from the alias's version before (promote, rollback, gate decisions: the production version
 *     the candidate was compared with), the parent version (publish), the deleted version, or the
 *     version pinned before (pin, unpin); null when there was none
 * @param to the alias's version after, the published version, the gate's candidate or the version
 *     pinned; null for delete and unpin
 * @param reason why, in words
 * @param run retrain events only: the run's record (start, end, data files, outcome, scores, log),
 *     else null
 * @param rule routing events only: the rule set ({@code routing_set}), else null
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
    java.util.Map<String, Object> run,
    RoutingDoc.Rule rule) {

  public HistoryEvent(
      long sequence,
      String at,
      String by,
      Action action,
      String alias,
      Integer from,
      Integer to,
      String reason,
      java.util.Map<String, Object> run) {
    this(sequence, at, by, action, alias, from, to, reason, run, null);
  }

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
    RETRAIN,
    /**
     * The default route was pinned to {@code to} on every replica ({@code MODEL/runtime/pin.json}).
     */
    PIN,
    /** The pin was lifted; {@code from} was pinned. */
    UNPIN,
    /** A canary or shadow rule ({@code rule}) was set for every replica. */
    ROUTING_SET,
    /** The routing rule was removed on every replica, a config file's rule included. */
    ROUTING_REMOVED;

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
    return new HistoryEvent(newSequence, at, by, action, alias, from, to, reason, run, rule);
  }
}
