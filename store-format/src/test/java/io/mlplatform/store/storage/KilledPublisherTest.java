package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.Manifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A publisher process killed with SIGKILL at random moments, several times over one local store: no
 * cleanup runs, and readers must still see only complete versions and live aliases.
 */
class KilledPublisherTest {

  private static final Logger LOG = LoggerFactory.getLogger(KilledPublisherTest.class);
  // Each kill costs a JVM start (~2 s); the fault-injection contract covers every step
  // deterministically.
  private static final int KILLS = 2;
  // A bundle large enough that a kill often lands inside a copy.
  private static final int BUNDLE_BYTES = 512 * 1024;

  @TempDir Path dir;

  static byte[] bundle(int round) {
    byte[] bytes = new byte[BUNDLE_BYTES];
    new Random(round).nextBytes(bytes);
    return bytes;
  }

  @Test
  void killedPublishersLeaveOnlyCompleteVersions() throws Exception {
    String location = dir.resolve("store").toUri().toString();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    LOG.info("kill delays seeded with {}", seed);
    for (int kill = 0; kill < KILLS; kill++) {
      Process child =
          new ProcessBuilder(
                  javaBinary(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PublishLoop.class.getName(),
                  location)
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        // At least one round finished, so every kill lands on a store with versions in it.
        int rounds = 2 + random.nextInt(2);
        for (int seen = 0; seen < rounds; ) {
          String line = out.readLine();
          assertThat(line).as("the publisher died on its own; it printed nothing more").isNotNull();
          if (line.startsWith("round ")) {
            seen++;
          }
        }
        Thread.sleep(random.nextInt(150));
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      checkConsistent(ModelStore.open(location));
    }
  }

  private static void checkConsistent(ModelStore store) throws IOException {
    List<Integer> versions = store.versions(ModelStoreContract.MODEL);
    assertThat(versions).as("versions after a kill").isNotEmpty();
    for (int version : versions) {
      Manifest manifest = store.manifest(ModelStoreContract.MODEL, version);
      assertThat(manifest.version()).isEqualTo(version);
      assertThat(store.referenceRows(ModelStoreContract.MODEL, version))
          .isEqualTo(ModelStoreContract.referenceRows());
      int round =
          Integer.parseInt(manifest.lineage().fingerprint().replace("sha256:publisher-", ""));
      Path copy = Files.createTempFile("killed", ".zip");
      try {
        store.copyBundleTo(ModelStoreContract.MODEL, version, copy);
        assertThat(Files.readAllBytes(copy)).as("bundle of v%s", version).isEqualTo(bundle(round));
      } finally {
        Files.delete(copy);
      }
    }
    for (Alias alias : store.aliases(ModelStoreContract.MODEL)) {
      assertThat(versions)
          .as("%s points at a listed version", alias.name())
          .contains(alias.version());
    }
    store.history(ModelStoreContract.MODEL);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
