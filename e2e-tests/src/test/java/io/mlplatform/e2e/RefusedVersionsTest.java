package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad versions of the real penguins model are published one after another while clients keep
 * sending requests: each is refused with the check it failed, reported by the API and the metrics,
 * and version 1 answers every request throughout.
 */
class RefusedVersionsTest {

  @TempDir static Path dir;
  private static ModelStore trained;
  private static ModelStore store;
  private static Service service;
  private static ServiceClient client;
  private static String body;
  private static final AtomicBoolean running = new AtomicBoolean(true);
  private static final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger answered = new AtomicInteger();
  private static Thread load;

  @BeforeAll
  static void start() throws Exception {
    trained = ModelStore.open(TrainedStore.trained().toString());
    store = ModelStore.open(dir.resolve("store").toString());
    StoreCopies.copy(trained, "penguins", store, "penguins", dir);
    // A 4 MB expansion cap: the real bundle expands to ~30 KB.
    service =
        StoreCopies.serve(
            store,
            new MleapModelLoader(BundleArchive.withDefaultLimits()),
            c ->
                c.withModels(
                    new ModelsSection(
                        c.models().pollInterval(),
                        c.models().selfTest(),
                        c.models().selfTestTolerance(),
                        50,
                        4L << 20,
                        1000)));
    client = new ServiceClient(service.port());
    body =
        ServingServer.JSON.writeValueAsString(
            Map.of("instances", List.of(trained.referenceRows("penguins", 1).get(0).input())));
    load =
        new Thread(
            () -> {
              while (running.get()) {
                Reply reply = client.postJson("/v1/models/penguins:predict", body);
                answered.incrementAndGet();
                if (reply.status() != 200 || reply.json().at("/model/version").asInt() != 1) {
                  unexpected.add(reply.status() + " " + reply.body());
                }
              }
            });
    load.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    running.set(false);
    if (load != null) {
      load.join(10_000);
    }
    if (service != null) {
      service.shutdown();
    }
    assertThat(unexpected).as("requests not answered by v1").isEmpty();
    assertThat(answered.get()).isPositive();
  }

  @Test
  void aCorruptBundleIsRefused() {
    int version =
        publish(
            zip -> {
              byte[] bytes = read(zip);
              for (int i = 0; i < bytes.length; i += 5) {
                bytes[i] = (byte) ~bytes[i];
              }
              return write(zip, bytes);
            },
            UnaryOperator.identity());

    assertRefused(version, "archive", "not a");
  }

  @Test
  void aZipSlipBundleIsRefusedBeforeAnythingIsWritten() {
    int version =
        publish(
            zip -> withExtraEntry(zip, "../../mlp-e2e-escaped.txt", new byte[] {1}),
            UnaryOperator.identity());

    assertRefused(version, "archive", "unsafe zip entry names [../../mlp-e2e-escaped.txt]");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    assertThat(tmp.resolve("mlp-e2e-escaped.txt")).doesNotExist();
    assertThat(tmp.getParent().resolve("mlp-e2e-escaped.txt")).doesNotExist();
    assertThat(dir.resolve("mlp-e2e-escaped.txt")).doesNotExist();
  }

  @Test
  void aBundleWithASymbolicLinkIsRefused() {
    int version =
        publish(
            zip ->
                markAsSymlink(
                    withExtraEntry(
                        zip, "root/link", "/etc/passwd".getBytes(StandardCharsets.UTF_8)),
                    "root/link"),
            UnaryOperator.identity());

    assertRefused(version, "archive", "symbolic links [root/link]");
  }

  @Test
  void aBundleThatExpandsPastTheCapIsRefused() {
    int version =
        publish(
            zip -> withExtraEntry(zip, "root/padding.bin", new byte[8 << 20]),
            UnaryOperator.identity());

    assertRefused(version, "archive", "expands to more than 4194304 bytes");
  }

  @Test
  void aBundleWhoseReferenceRowsDoNotReproduceIsRefused() {
    int version =
        publish(
            UnaryOperator.identity(),
            rows ->
                rows.stream()
                    .map(
                        r ->
                            new ReferenceRow(
                                r.input(), (r.prediction() + 1) % 3, r.probabilities()))
                    .toList());

    assertRefused(version, "self_test", "reference rows differ from training");
  }

  @Test
  void aZipThatIsNotABundleIsRefused() {
    int version =
        publish(
            zip -> {
              Path other = zip.resolveSibling("not-a-bundle-" + System.nanoTime() + ".zip");
              try (OutputStream file = Files.newOutputStream(other);
                  ZipOutputStream out = new ZipOutputStream(file)) {
                out.putNextEntry(new ZipEntry("hello.txt"));
                out.write("hello".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return other;
            },
            UnaryOperator.identity());

    assertRefused(version, "bundle", "MLeap cannot read the bundle");
  }

  private static synchronized int publish(
      UnaryOperator<Path> bundle, UnaryOperator<List<ReferenceRow>> rows) {
    return StoreCopies.copy(trained, "penguins", store, "penguins", dir, bundle, rows);
  }

  private static void assertRefused(int version, String check, String reason) {
    JsonNode state = awaitState(version);
    assertThat(state.get("state").asText()).isEqualTo("REFUSED");
    assertThat(state.get("check").asText()).isEqualTo(check);
    assertThat(state.get("reason").asText())
        .contains(reason)
        .doesNotContain(dir.toString(), "/tmp/");
    JsonNode model = client.get("/v1/models/penguins").json();
    assertThat(model.get("loadedVersion").asInt()).isEqualTo(1);
    assertThat(model.get("state").asText()).isEqualTo("LOADED");
    assertThat(client.get("/health/ready").status()).isEqualTo(200);
    String metrics = client.get("/metrics").body();
    assertThat(metrics)
        .contains(
            "mlp_model_refusals_total{check=\""
                + check
                + "\",model=\"penguins\",version=\""
                + version
                + "\"} 1.0");
    assertThat(
            client
                .postJson("/v1/models/penguins:predict", body)
                .json()
                .at("/model/version")
                .asInt())
        .isEqualTo(1);
    assertThat(
            client.postJson("/v1/models/penguins/versions/" + version + ":predict", body).status())
        .isEqualTo(503);
  }

  private static JsonNode awaitState(int version) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Reply reply = client.get("/v1/models/penguins/versions/" + version);
      if (reply.status() == 200 && !reply.json().get("state").asText().equals("AVAILABLE")) {
        return reply.json();
      }
      sleep(50);
    }
    throw new AssertionError("v" + version + " was never tried");
  }

  static Path withExtraEntry(Path zip, String name, byte[] content) {
    Path copy = zip.resolveSibling("extra-" + System.nanoTime() + ".zip");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
        OutputStream file = Files.newOutputStream(copy);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry(name));
      out.write(content);
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return copy;
  }

  /**
   * Sets the Unix mode of an entry to a symbolic link, as Info-ZIP writes one (Java's zip API
   * cannot).
   */
  static Path markAsSymlink(Path zip, String entry) {
    byte[] bytes = read(zip);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] name = entry.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 + name.length <= bytes.length; i++) {
      if (buffer.getInt(i) == 0x02014b50
          && Short.toUnsignedInt(buffer.getShort(i + 28)) == name.length
          && new String(bytes, i + 46, name.length, StandardCharsets.UTF_8).equals(entry)) {
        buffer.putShort(i + 4, (short) 0x031E);
        buffer.putInt(i + 38, 0120777 << 16);
        return write(zip, bytes);
      }
    }
    throw new IllegalStateException("no entry " + entry);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
