package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.HistoryEvent.Action;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Pin;
import io.mlplatform.store.format.RoutingDoc;
import io.mlplatform.store.format.RuntimeState;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aliases, history, rollback and deletion, on every file system the contract runs on. Every refused
 * change is checked to have written nothing: the store's files are compared before and after.
 */
abstract class RegistryContract extends ModelStoreContract {

  static final String PRODUCTION = Layout.PRODUCTION;

  @Test
  void aNewModelHasNoAliasesAndOnlyItsPublishInTheHistory() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));

    assertThat(store.aliases(MODEL)).isEmpty();
    assertThat(store.alias(MODEL, PRODUCTION)).isEmpty();
    List<HistoryEvent> history = store.history(MODEL);
    assertThat(history).hasSize(1);
    HistoryEvent publish = history.get(0);
    assertThat(publish.sequence()).isEqualTo(1);
    assertThat(publish.action()).isEqualTo(Action.PUBLISH);
    assertThat(publish.to()).isEqualTo(1);
    assertThat(publish.from()).isNull();
    assertThat(publish.by()).isEqualTo(store.user());
    assertThat(Instant.parse(publish.at())).isBeforeOrEqualTo(Instant.now());
    assertThat(publish.reason())
        .contains("file:///data/penguins.json")
        .contains("344 rows")
        .contains("sha256:0123abcd");
  }

  @Test
  void unknownModelHasNoAliasesAndNoHistory() {
    assertThat(store.aliases("ghost")).isEmpty();
    assertThat(store.alias("ghost", PRODUCTION)).isEmpty();
    assertThat(store.history("ghost")).isEmpty();
  }

  @Test
  void setAliasPointsAtTheVersionAndRecordsWhoWhenFromToAndWhy() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    ModelStore alice = store.as("alice");

    AliasChange first = alice.setAlias(MODEL, PRODUCTION, 1, "first release");
    AliasChange second = alice.setAlias(MODEL, PRODUCTION, 2, "better f1");
    store.setAlias(MODEL, "staging", 2, "try it");

    assertThat(first).isEqualTo(new AliasChange(MODEL, PRODUCTION, null, 1));
    assertThat(second).isEqualTo(new AliasChange(MODEL, PRODUCTION, 1, 2));
    assertThat(store.alias(MODEL, PRODUCTION)).contains(2);
    assertThat(store.aliases(MODEL))
        .extracting(Alias::name, Alias::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PRODUCTION, 2),
            org.assertj.core.groups.Tuple.tuple("staging", 2));
    Alias production = store.aliases(MODEL).get(0);
    assertThat(production.by()).isEqualTo("alice");
    assertThat(production.reason()).isEqualTo("better f1");
    assertThat(Instant.parse(production.updatedAt())).isBeforeOrEqualTo(Instant.now());

    List<HistoryEvent> promotions =
        store.history(MODEL).stream().filter(e -> e.action() == Action.PROMOTE).toList();
    assertThat(promotions)
        .extracting(
            HistoryEvent::alias,
            HistoryEvent::from,
            HistoryEvent::to,
            HistoryEvent::by,
            HistoryEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PRODUCTION, null, 1, "alice", "first release"),
            org.assertj.core.groups.Tuple.tuple(PRODUCTION, 1, 2, "alice", "better f1"),
            org.assertj.core.groups.Tuple.tuple("staging", null, 2, store.user(), "try it"));
    assertThat(store.history(MODEL))
        .extracting(HistoryEvent::sequence)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  /**
   * The race of issue 16 item 6, made deterministic: a delete runs in full (its own re-check
   * included) after the promotion checked that the version exists and before it writes the alias.
   */
  @Test
  void aDeleteBetweenAPromotionsCheckAndItsWriteNeverLeavesTheAliasOnADeletedVersion()
      throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    store.setAlias(MODEL, PRODUCTION, 1, "first");
    FaultyFileOps[] ops = new FaultyFileOps[1];
    ModelStore promoter =
        open(
            store.uri().toString(),
            real ->
                ops[0] = new FaultyFileOps(real, Integer.MAX_VALUE, FaultyFileOps.Mode.FAIL_ONCE));
    ops[0].before(
        step -> step.startsWith("replace ") && step.contains("/aliases/"),
        () -> store.deleteVersion(MODEL, 2, "clean up"));

    assertRefused(
        () -> promoter.setAlias(MODEL, PRODUCTION, 2, "promote"),
        StoreException.Kind.NOT_FOUND,
        "v2");

    assertThat(store.versions(MODEL)).as("the delete went through").containsExactly(1);
    assertThat(store.alias(MODEL, PRODUCTION))
        .as("production is back on the version it had")
        .contains(1);
  }

  @Test
  void settingAnAliasToTheVersionItHasChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, PRODUCTION, 1, "first");
    Map<String, String> before = snapshot();

    AliasChange change = store.setAlias(MODEL, PRODUCTION, 1, "again");

    assertThat(change.changed()).isFalse();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aliasToAMissingVersionIsNotFoundAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, PRODUCTION, 1, "first");
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.setAlias(MODEL, PRODUCTION, 7, "typo"),
        StoreException.Kind.NOT_FOUND,
        "has no version 7",
        "v1");
    assertRefused(
        () -> store.setAlias("ghost", PRODUCTION, 1, "typo"),
        StoreException.Kind.NOT_FOUND,
        "model ghost not found");
    assertRefused(
        () -> store.setAlias(MODEL, PRODUCTION, 0, "zero"), StoreException.Kind.INVALID, "version");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aliasToAVersionWithAMalformedManifestIsRefusedAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, PRODUCTION, 1, "first");
    publishComplete(store, MODEL, bytes("v2"));
    writeRaw(MODEL + "/versions/2/" + Layout.MANIFEST, "{\"formatVersion\": 1, \"model\": ");
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.setAlias(MODEL, PRODUCTION, 2, "broken"),
        StoreException.Kind.CORRUPT,
        MODEL,
        "v2");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.alias(MODEL, PRODUCTION)).contains(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "3", "v3", "V12", "has space", "../x", "-x", "_x", "a/b", "prod.uction"})
  void invalidAliasNamesAreRefused(String alias) throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.setAlias(MODEL, alias, 1, "why"), StoreException.Kind.INVALID, "alias name");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aReasonIsRequired() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.setAlias(MODEL, PRODUCTION, 1, " "), StoreException.Kind.INVALID, "reason");
    assertRefused(
        () -> store.setAlias(MODEL, PRODUCTION, 1, null), StoreException.Kind.INVALID, "reason");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void rollbackRestoresThePreviousProductionAndRepeatedRollbacksWalkBack() throws IOException {
    for (int i = 1; i <= 4; i++) {
      publishComplete(store, MODEL, bytes("v" + i));
    }
    store.setAlias(MODEL, PRODUCTION, 1, "one");
    store.setAlias(MODEL, PRODUCTION, 3, "three");
    store.setAlias(MODEL, PRODUCTION, 4, "four");

    assertThat(store.rollback(MODEL, PRODUCTION, "four is slow"))
        .isEqualTo(new AliasChange(MODEL, PRODUCTION, 4, 3));
    assertThat(store.alias(MODEL, PRODUCTION)).contains(3);
    assertThat(store.rollback(MODEL, PRODUCTION, null))
        .isEqualTo(new AliasChange(MODEL, PRODUCTION, 3, 1));
    assertThat(store.alias(MODEL, PRODUCTION)).contains(1);

    Map<String, String> before = snapshot();
    assertRefused(
        () -> store.rollback(MODEL, PRODUCTION, "again"),
        StoreException.Kind.INVALID,
        "cannot roll back",
        "v1");
    assertThat(snapshot()).isEqualTo(before);

    List<HistoryEvent> rollbacks =
        store.history(MODEL).stream().filter(e -> e.action() == Action.ROLLBACK).toList();
    assertThat(rollbacks)
        .extracting(HistoryEvent::from, HistoryEvent::to, HistoryEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4, 3, "four is slow"),
            org.assertj.core.groups.Tuple.tuple(3, 1, "rollback"));
  }

  @Test
  void aPromotionAfterARollbackIsRolledBackToTheRestoredVersion() throws IOException {
    for (int i = 1; i <= 3; i++) {
      publishComplete(store, MODEL, bytes("v" + i));
    }
    store.setAlias(MODEL, PRODUCTION, 1, "one");
    store.setAlias(MODEL, PRODUCTION, 2, "two");
    store.rollback(MODEL, PRODUCTION, "two is bad");
    store.setAlias(MODEL, PRODUCTION, 3, "three");

    assertThat(store.rollback(MODEL, PRODUCTION, "three is bad").to()).isEqualTo(1);
  }

  @Test
  void rollbackSkipsVersionsDeletedSince() throws IOException {
    for (int i = 1; i <= 3; i++) {
      publishComplete(store, MODEL, bytes("v" + i));
    }
    store.setAlias(MODEL, PRODUCTION, 1, "one");
    store.setAlias(MODEL, PRODUCTION, 2, "two");
    store.setAlias(MODEL, PRODUCTION, 3, "three");
    store.deleteVersion(MODEL, 2, "superseded");

    assertThat(store.rollback(MODEL, PRODUCTION, "three is bad").to()).isEqualTo(1);
  }

  @Test
  void rollbackWithoutTheAliasOrModelIsNotFoundAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.rollback(MODEL, PRODUCTION, "x"),
        StoreException.Kind.NOT_FOUND,
        "no production alias");
    assertRefused(
        () -> store.rollback("ghost", PRODUCTION, "x"),
        StoreException.Kind.NOT_FOUND,
        "model ghost");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void deleteHidesTheVersionKeepsItsManifestAndNeverReusesItsNumber() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    store.setAlias(MODEL, PRODUCTION, 1, "one");

    store.deleteVersion(MODEL, 2, "bad data");

    assertThat(store.versions(MODEL)).containsExactly(1);
    assertNotFound(() -> store.manifest(MODEL, 2), MODEL, "2");
    assertThat(rawFs().exists(raw(MODEL + "/deleted/2/" + Layout.MANIFEST))).isTrue();
    assertThat(rawFs().exists(raw(MODEL + "/deleted/2/" + Layout.BUNDLE))).isFalse();
    HistoryEvent deleted = store.history(MODEL).get(store.history(MODEL).size() - 1);
    assertThat(deleted.action()).isEqualTo(Action.DELETE);
    assertThat(deleted.from()).isEqualTo(2);
    assertThat(deleted.to()).isNull();
    assertThat(deleted.reason()).isEqualTo("bad data");

    assertThat(publishComplete(store, MODEL, bytes("v3")))
        .as("the number after a deleted latest version")
        .isEqualTo(3);
  }

  @Test
  void deletingAnAliasedVersionIsRefusedAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, PRODUCTION, 1, "one");
    store.setAlias(MODEL, "staging", 1, "one");
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.deleteVersion(MODEL, 1, "oops"),
        StoreException.Kind.INVALID,
        "cannot delete",
        "production, staging");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.versions(MODEL)).containsExactly(1);
  }

  @Test
  void deletingAnUnknownVersionOrModelIsNotFoundAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.deleteVersion(MODEL, 9, "x"), StoreException.Kind.NOT_FOUND, "no version 9");
    assertRefused(
        () -> store.deleteVersion("ghost", 1, "x"), StoreException.Kind.NOT_FOUND, "model ghost");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void resolveTakesVersionsAndAliases() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    store.setAlias(MODEL, PRODUCTION, 1, "one");

    assertThat(store.resolve(MODEL, "2")).isEqualTo(2);
    assertThat(store.resolve(MODEL, "v2")).isEqualTo(2);
    assertThat(store.resolve(MODEL, PRODUCTION)).isEqualTo(1);
    assertRefused(
        () -> store.resolve(MODEL, "staging"),
        StoreException.Kind.NOT_FOUND,
        "no alias 'staging'",
        "aliases: production");
    assertRefused(() -> store.resolve(MODEL, "v9"), StoreException.Kind.NOT_FOUND, "no version 9");
    assertRefused(
        () -> store.resolve("ghost", PRODUCTION), StoreException.Kind.NOT_FOUND, "model ghost");
    assertRefused(
        () -> store.resolve(MODEL, "-1"), StoreException.Kind.INVALID, "neither a version");
  }

  @Test
  void anAliasLeftPointingAtAVanishedVersionIsReportedByName() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    writeRaw(
        MODEL + "/aliases/staging", "{\"version\": 5, \"updatedAt\": \"2024-01-01T00:00:00Z\"}");

    assertRefused(
        () -> store.resolve(MODEL, "staging"),
        StoreException.Kind.NOT_FOUND,
        "staging",
        "v5",
        "does not exist");
  }

  @Test
  void aMalformedAliasIsCorruptSkippedByTheListingAndAPromotionRepairsIt() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, "staging", 1, "candidate");
    writeRaw(MODEL + "/aliases/production", "{\"version\": \"three\"");

    assertRefused(
        () -> store.alias(MODEL, PRODUCTION),
        StoreException.Kind.CORRUPT,
        "alias production of " + MODEL);
    // One bad file must not hide the model's other aliases (a cold-starting server would load
    // nothing).
    assertThat(store.aliases(MODEL)).extracting(Alias::name).containsExactly("staging");
    assertThat(store.malformedAliases(MODEL))
        .singleElement()
        .asString()
        .contains("alias production", "malformed");
    Map<String, String> before = snapshot();
    assertRefused(
        () -> store.deleteVersion(MODEL, 1, "x"), StoreException.Kind.CORRUPT, "alias production");
    assertThat(snapshot()).isEqualTo(before);

    store.setAlias(MODEL, PRODUCTION, 1, "repair");

    assertThat(store.alias(MODEL, PRODUCTION)).contains(1);
  }

  @Test
  void aMalformedHistoryEventIsCorruptNamingTheFileAndBlocksRollback() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    store.setAlias(MODEL, PRODUCTION, 1, "one");
    store.setAlias(MODEL, PRODUCTION, 2, "two");
    writeRaw(MODEL + "/history/0000000003.json", "{\"action\": \"promote\", ");
    Map<String, String> before = snapshot();

    assertRefused(
        () -> store.history(MODEL), StoreException.Kind.CORRUPT, "0000000003.json", MODEL);
    assertRefused(
        () -> store.rollback(MODEL, PRODUCTION, "x"),
        StoreException.Kind.CORRUPT,
        "0000000003.json");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void gateDecisionsAreRecorded() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));

    HistoryEvent passed =
        store.recordGateDecision(MODEL, PRODUCTION, 1, null, true, "accuracy 0.97 >= min 0.9");
    HistoryEvent failed =
        store.recordGateDecision(MODEL, PRODUCTION, 2, 1, false, "accuracy 0.5 is below 0.9");

    assertThat(store.history(MODEL)).containsSubsequence(passed, failed);
    assertThat(failed.action()).isEqualTo(Action.GATE_FAILED);
    assertThat(failed.from()).isEqualTo(1);
    assertThat(failed.to()).isEqualTo(2);
    assertThat(store.aliases(MODEL)).as("a gate decision alone moves no alias").isEmpty();
  }

  @Test
  void concurrentWritersKeepEveryHistoryEvent() throws Exception {
    int writers = 6;
    for (int i = 1; i <= 2; i++) {
      publishComplete(store, MODEL, bytes("v" + i));
    }
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<HistoryEvent>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int writer = i;
        results.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return store
                      .as("writer-" + writer)
                      .recordGateDecision(MODEL, PRODUCTION, 2, null, false, "writer " + writer);
                }));
      }
      for (Future<HistoryEvent> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<HistoryEvent> history = store.history(MODEL);
    assertThat(history)
        .extracting(HistoryEvent::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2 + writers).boxed().toList());
    assertThat(history.stream().filter(e -> e.action() == Action.GATE_FAILED).map(HistoryEvent::by))
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, writers).mapToObj(i -> "writer-" + i).toList());
    assertThat(stagingEntries(MODEL)).isEmpty();
  }

  @Test
  void pinsAndRoutingAreRuntimeDocumentsWithHistoryEventsByTheirAuthor() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    publishComplete(store, MODEL, bytes("v2"));
    assertThat(store.runtime(MODEL)).isEqualTo(RuntimeState.NONE);
    ModelStore ops = store.as("ops-key");
    RoutingDoc.Rule canary = new RoutingDoc.Rule("canary", "2", 0.25, 0.01);

    Pin pin = ops.pin(MODEL, 1, "v2 misbehaves");
    RoutingDoc routing = ops.setRouting(MODEL, canary, null);

    RuntimeState state = store.runtime(MODEL);
    assertThat(state.pin()).isEqualTo(pin);
    assertThat(state.pinnedVersion()).isEqualTo(1);
    assertThat(state.routing()).isEqualTo(routing);
    assertThat(routing.rule()).isEqualTo(canary);
    assertThat(routing.by()).isEqualTo("ops-key");
    assertThat(state.malformed()).isEmpty();

    assertThat(ops.setRouting(MODEL, canary, "again")).as("the same rule").isEqualTo(routing);
    ops.unpin(MODEL, "fixed");
    ops.unpin(MODEL, "twice");
    ops.setRouting(MODEL, null, "canary over");

    state = store.runtime(MODEL);
    assertThat(state.pin().version()).isNull();
    assertThat(state.pin().by()).isEqualTo("ops-key");
    assertThat(state.routing().hasRule()).as("an explicit 'no rule'").isFalse();
    List<HistoryEvent> events =
        store.history(MODEL).stream().filter(e -> e.action() != Action.PUBLISH).toList();
    assertThat(events)
        .extracting(HistoryEvent::action)
        .as("a change that changes nothing records nothing")
        .containsExactly(Action.PIN, Action.ROUTING_SET, Action.UNPIN, Action.ROUTING_REMOVED);
    assertThat(events).allSatisfy(e -> assertThat(e.by()).isEqualTo("ops-key"));
    assertThat(events.get(0).to()).isEqualTo(1);
    assertThat(events.get(0).reason()).isEqualTo("v2 misbehaves");
    assertThat(events.get(1).rule()).isEqualTo(canary);
    assertThat(events.get(2).from()).isEqualTo(1);
    assertThat(events.get(2).to()).isNull();
    assertThat(events.get(3).rule()).isNull();
    assertThat(stagingEntries(MODEL)).isEmpty();
  }

  @Test
  void malformedRuntimeDocumentsCountAsAbsentAndRefusedChangesWriteNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    writeRaw(MODEL + "/runtime/pin.json", "{\"version\": \"three\"");
    writeRaw(
        MODEL + "/runtime/routing.json",
        "{\"rule\": {\"mode\": \"sideways\", \"candidate\": \"2\", \"share\": 0.5}}");

    RuntimeState state = store.runtime(MODEL);
    assertThat(state.pin()).isNull();
    assertThat(state.routing()).isNull();
    assertThat(state.malformed())
        .satisfiesExactly(
            p -> assertThat(p).contains("runtime/pin.json of " + MODEL, "malformed"),
            p -> assertThat(p).contains("runtime/routing.json", "mode must be canary or shadow"));

    Map<String, String> before = snapshot();
    assertRefused(() -> store.pin(MODEL, 7, "x"), StoreException.Kind.NOT_FOUND, "version 7");
    assertRefused(() -> store.pin("ghost", 1, "x"), StoreException.Kind.NOT_FOUND, "ghost");
    assertRefused(
        () -> store.setRouting(MODEL, new RoutingDoc.Rule("canary", "2", 1.5, 0), "x"),
        StoreException.Kind.INVALID,
        "share");
    assertThat(snapshot()).isEqualTo(before);

    store.pin(MODEL, 1, "repair");
    assertThat(store.runtime(MODEL).pinnedVersion()).isEqualTo(1);
  }

  @Test
  void aRuntimeWriteThatFailsIsAnIoErrorAndChangesNothing() throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    ModelStore faulty =
        open(
            store.uri().toString(),
            real -> new FaultyFileOps(real, 1, FaultyFileOps.Mode.FAIL_ONCE));
    Map<String, String> before = snapshot();

    assertRefused(() -> faulty.pin(MODEL, 1, "x"), StoreException.Kind.IO, "cannot pin " + MODEL);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.runtime(MODEL).pin()).isNull();
  }

  // ---------------------------------------------------------------------------------------------

  void assertRefused(ThrowingCallable call, StoreException.Kind kind, String... mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .message()
        .contains(mentions);
  }

  /** Every file of the store outside .staging, by path, with a digest of its content. */
  Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    String prefix = store.uri().getPath();
    RemoteIterator<LocatedFileStatus> it = rawFs().listFiles(raw(""), true);
    while (it.hasNext()) {
      LocatedFileStatus status = it.next();
      String path = status.getPath().toUri().getPath().substring(prefix.length());
      if (path.contains("/.staging/") || status.getPath().getName().endsWith(".crc")) {
        continue;
      }
      try (InputStream in = rawFs().open(status.getPath())) {
        files.put(path, HexFormat.of().formatHex(sha256().digest(in.readAllBytes())));
      }
    }
    return files;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
