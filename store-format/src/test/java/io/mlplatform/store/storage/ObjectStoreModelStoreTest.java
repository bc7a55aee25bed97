package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store and registry contracts on an object store: {@code s3a://} served by {@link
 * SimulatedObjectStore}, whose renames copy file by file and whose create-if-absent is a check
 * followed later by a PUT, as on S3. The crash-safety and concurrent-publisher cases of the
 * contracts are what MarkerPublish is for.
 */
class ObjectStoreModelStoreTest extends CrashSafetyContract {

  @TempDir Path buckets;

  @Override
  String freshLocation() throws IOException {
    Path dir = buckets.resolve("store-" + System.nanoTime());
    Files.createDirectories(dir);
    return "s3a://bucket" + dir.toAbsolutePath();
  }

  @Override
  String expectedScheme() {
    return "s3a";
  }

  @Override
  void makeVisible(String versionDir) throws IOException {
    rawFs().create(raw(versionDir + "/" + MarkerPublish.COMMITTED), true).close();
  }

  @Test
  void aVersionIsListedOnlyOnceItsCommitMarkerIsWritten() throws IOException {
    int version = publish(MODEL, bytes("committed"));
    org.apache.hadoop.fs.Path dir = raw(MODEL + "/versions/" + version);
    assertThat(rawFs().exists(new org.apache.hadoop.fs.Path(dir, MarkerPublish.COMMITTED)))
        .isTrue();

    rawFs().delete(new org.apache.hadoop.fs.Path(dir, MarkerPublish.COMMITTED), false);

    assertThat(store.versions(MODEL)).doesNotContain(version);
    assertThat(publish(MODEL, bytes("next")))
        .as("a claimed number is never given out again")
        .isEqualTo(version + 1);
  }

  @Test
  void aReaderPollingDuringPublishesNeverSeesAPartialVersion() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    List<String> problems = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              ModelStore polling = open(store.uri().toString());
              while (!done.get()) {
                for (int version : polling.versions(MODEL)) {
                  try {
                    polling.manifest(MODEL, version);
                    polling.referenceRows(MODEL, version);
                    assertThat(fileNames(MODEL, version))
                        .containsExactlyInAnyOrder(
                            Layout.BUNDLE, Layout.MANIFEST, Layout.REFERENCE_ROWS);
                  } catch (AssertionError | RuntimeException | IOException e) {
                    synchronized (problems) {
                      problems.add("v" + version + ": " + e.getMessage());
                    }
                  }
                }
              }
            });
    reader.start();
    try {
      for (int i = 0; i < 5; i++) {
        publishComplete(store, MODEL, bytes("bundle " + i));
      }
    } finally {
      done.set(true);
      reader.join();
    }
    assertThat(problems).isEmpty();
    assertThat(store.versions(MODEL)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void historyEventsGetUniqueNamesSoConcurrentWritersCannotOverwriteEachOther() throws IOException {
    publish(MODEL, bytes("one"));
    store.setAlias(MODEL, Layout.PRODUCTION, 1, "first");

    List<String> names = new ArrayList<>();
    for (var status : rawFs().listStatus(raw(MODEL + "/history"))) {
      names.add(status.getPath().getName());
    }
    assertThat(names).hasSize(2).allMatch(n -> n.matches("[0-9]{10}-[0-9a-f]{8}\\.json"));
    assertThat(store.history(MODEL))
        .extracting(HistoryEvent::action)
        .containsExactly(HistoryEvent.Action.PUBLISH, HistoryEvent.Action.PROMOTE);
  }
}
