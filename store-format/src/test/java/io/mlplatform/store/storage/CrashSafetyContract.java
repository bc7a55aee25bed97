package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A publisher and an operator that fail at every single file-system step in turn, on one store that
 * keeps whatever each failure left behind: publish a version, promote it, roll back, delete it.
 * After each failure a fresh reader must find only complete versions, aliases that point at them
 * and a readable history; the next round then runs on that store, so it must also carry on working.
 */
abstract class CrashSafetyContract extends RegistryContract {

  private int round;

  /** Versions already read in full; a visible version never changes, so once is enough. */
  private final java.util.Set<Integer> verified = new java.util.HashSet<>();

  @ParameterizedTest
  @EnumSource(FaultyFileOps.Mode.class)
  void everyStepCanFailWithoutLeavingAPartialVersionOrADanglingAlias(FaultyFileOps.Mode mode)
      throws IOException {
    String location = store.uri() + "/" + mode;
    verified.clear();
    ModelStore reader = open(location);
    assertThat(publishComplete(reader, bundle(0), manifestOfPublisher(0))).isEqualTo(1);
    reader.setAlias(MODEL, Layout.PRODUCTION, 1, "first");

    FaultyFileOps counting = workflow(location, Integer.MAX_VALUE, mode);
    assertThat(counting.failed()).isFalse();
    int steps = counting.steps().size();
    assertThat(steps).as("steps of the workflow: %s", counting.steps()).isGreaterThan(20);

    List<String> failures = new ArrayList<>();
    for (int failAt = 1; failAt <= steps; failAt++) {
      FaultyFileOps faulty = workflow(location, failAt, mode);
      assertThat(faulty.failed()).as("step %s was reached", failAt).isTrue();
      try {
        checkConsistent(reader);
      } catch (AssertionError | RuntimeException e) {
        failures.add(
            "failing step "
                + failAt
                + " ("
                + faulty.steps().get(failAt - 1)
                + "): "
                + e.getMessage());
      }
    }
    assertThat(failures).as("inconsistent stores after a %s", mode).isEmpty();
    assertThat(workflow(location, Integer.MAX_VALUE, mode).failed())
        .as("a healthy round at the end")
        .isFalse();
    checkConsistent(reader);
  }

  @org.junit.jupiter.api.Test
  void aPublishWhoseRenameReplyIsLostPublishesOneCompleteVersion() throws IOException {
    String location = store.uri() + "/lost-reply";
    FaultyFileOps[] ops = new FaultyFileOps[1];
    publishComplete(open(location), bytes("v1"), manifestOfPublisher(1));
    // A publish counting its steps, to find the rename that publishes; the next publish loses its
    // reply.
    ModelStore probe =
        open(
            location,
            real ->
                ops[0] = new FaultyFileOps(real, Integer.MAX_VALUE, FaultyFileOps.Mode.LOST_REPLY));
    publishComplete(probe, bytes("v2"), manifestOfPublisher(2));
    List<String> steps = ops[0].steps();
    int found = 0;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).startsWith("moveNoReplace") && steps.get(i).contains("/versions/")) {
        found = i + 1;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        found > 0, "this file system does not publish by rename");
    int publishStep = found;

    ModelStore lossy =
        open(
            location,
            real -> ops[0] = new FaultyFileOps(real, publishStep, FaultyFileOps.Mode.LOST_REPLY));
    int version = publishComplete(lossy, bytes("v3"), manifestOfPublisher(3));

    assertThat(ops[0].failed()).as("the rename's reply was lost").isTrue();
    assertThat(version).as("the version the lost rename published").isEqualTo(3);
    ModelStore reader = open(location);
    assertThat(reader.versions(MODEL)).containsExactly(1, 2, 3);
    java.nio.file.Path copy = work.resolve("lost-reply.zip");
    reader.copyBundleTo(MODEL, 3, copy);
    assertThat(copy).hasBinaryContent(bytes("v3"));
    assertThat(reader.referenceRows(MODEL, 3)).isEqualTo(referenceRows());
  }

  /**
   * One round on a store whose file operations fail at a step: publish, promote, roll back, delete.
   */
  private FaultyFileOps workflow(String location, int failAt, FaultyFileOps.Mode mode)
      throws IOException {
    FaultyFileOps[] ops = new FaultyFileOps[1];
    ModelStore faulty = open(location, real -> ops[0] = new FaultyFileOps(real, failAt, mode));
    round++;
    try {
      int version = publishComplete(faulty, bundle(round), manifestOfPublisher(round));
      faulty.setAlias(MODEL, Layout.PRODUCTION, version, "promote");
      faulty.rollback(MODEL, Layout.PRODUCTION, "roll back");
      faulty.deleteVersion(MODEL, version, "clean up");
    } catch (StoreException e) {
      // Expected whenever the injected fault hits; the store is checked afterwards.
      assertThat(ops[0].failed()).as("only injected faults may fail: %s", e.getMessage()).isTrue();
    }
    return ops[0];
  }

  private void checkConsistent(ModelStore reader) throws IOException {
    List<Integer> versions = reader.versions(MODEL);
    assertThat(versions).as("versions").contains(1);
    for (int version : versions) {
      if (!verified.add(version)) {
        continue;
      }
      Manifest manifest = reader.manifest(MODEL, version);
      assertThat(manifest.version()).isEqualTo(version);
      assertThat(reader.referenceRows(MODEL, version)).isEqualTo(referenceRows());
      int publisher =
          Integer.parseInt(manifest.lineage().fingerprint().replace("sha256:publisher-", ""));
      java.nio.file.Path copy = work.resolve("check-" + System.nanoTime() + ".zip");
      reader.copyBundleTo(MODEL, version, copy);
      assertThat(copy).as("bundle of v%s", version).hasBinaryContent(bundle(publisher));
      java.nio.file.Files.delete(copy);
    }
    Map<String, Integer> aliases = new TreeMap<>();
    reader.aliases(MODEL).forEach(a -> aliases.put(a.name(), a.version()));
    assertThat(aliases).containsOnlyKeys(Layout.PRODUCTION);
    assertThat(versions)
        .as("production points at a listed version")
        .contains(aliases.get(Layout.PRODUCTION));
    assertThat(reader.history(MODEL)).allSatisfy(e -> assertThat(e.action()).isNotNull());
  }

  private static byte[] bundle(int publisher) {
    return bytes("the bundle of round " + publisher + " ".repeat(publisher));
  }
}
