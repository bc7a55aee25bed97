package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.config.FallbackSection;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.SelfTestMode;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.server.namenode.NameNode;
import org.apache.hadoop.hdfs.server.namenode.metrics.NameNodeMetrics;
import org.apache.hadoop.metrics2.lib.MutableCounterLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one poll of the store costs a serving replica with many models loaded, on the local file
 * system and on a real HDFS (MiniDFSCluster): the file-system calls one {@link
 * ModelRegistry#refresh()} makes (the poller runs exactly that every {@code pollInterval}), per
 * model, and the wall time of the poll. On HDFS the NameNode's own operation counters are read too,
 * so the count is what the NameNode served, not only what the client asked for.
 *
 * <p>It prints its figures and asserts only correctness: the models keep serving, a steady poll
 * makes the same calls every time, as many as docs/scaling.md says per model, and the NameNode saw
 * exactly the calls the client counted. Timings are printed, never asserted. The build runs it with
 * 25 models (the counts are linear in the number of models); docs/scaling.md's figures come from
 * {@code -Dmlplatform.polling.models=100}, which takes about three minutes on two cores.
 */
@Tag("slow")
class StorePollingCostTest {

  private static final int MODELS = Integer.getInteger("mlplatform.polling.models", 25);
  private static final int MEASURED_POLLS = 5;
  private static final Path WORK = Path.of("target/store-polling").toAbsolutePath();

  private static Path localStore;
  private static MiniDFSCluster hdfs;

  @BeforeAll
  static void storeOfModels() throws IOException {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    localStore = WORK.resolve("store");
    ModelStore source = ModelStore.open(TrainedStore.penguins().toString());
    ModelStore store = ModelStore.open(localStore.toString());
    for (int i = 0; i < MODELS; i++) {
      String name = String.format("m%03d", i);
      int version = StoreCopies.copy(source, "penguins", store, name, WORK);
      // A production alias per model, as a promoted fleet has: one more file a poll reads.
      store.setAlias(name, "production", version, "polling cost benchmark");
    }
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  @Test
  void pollOfModelsOnTheLocalFileSystem() {
    Configuration conf = CountingFileSystems.install(new Configuration());
    Polls polls = measure(ModelStore.open(localStore.toUri().toString(), conf), () -> Map.of());
    polls.print("local file system");
    // docs/scaling.md: one listing of the store, then per model its versions, the version and its
    // aliases listed (three listings), the alias file read and the two runtime documents opened
    // (runtime/pin.json, runtime/routing.json; absent here, which costs the same one call each).
    assertThat(polls.measured().get(0).calls().get("open")).isEqualTo(3L * MODELS);
    assertThat(CountingFileSystems.total(polls.measured().get(0).calls()))
        .isEqualTo(1 + 6L * MODELS);
  }

  /**
   * The same store published again under {@code s3a://} on the local disk ({@link
   * CountingFileSystems.ObjectStore}): the calls the store makes on an object store. Each maps to
   * S3 requests (docs/scaling.md); its wall time is the local disk's and says nothing about S3.
   */
  @Test
  void pollOfModelsOnAnObjectStore() {
    Configuration conf = CountingFileSystems.install(new Configuration());
    conf.set(ModelStore.CLAIM_SETTLE_KEY, "0"); // one publisher: no rival to wait for
    String uri =
        CountingFileSystems.OBJECT_STORE + "://" + WORK.resolve("object-store").toUri().getPath();
    ModelStore source = ModelStore.open(localStore.toString());
    ModelStore store = ModelStore.open(uri, conf);
    for (String name : source.models()) {
      int version = StoreCopies.copy(source, name, store, name, WORK);
      store.setAlias(name, "production", version, "polling cost benchmark");
    }
    Polls polls = measure(ModelStore.open(uri, conf), () -> Map.of());
    polls.print("object store (s3a:// on the local disk: calls only)");
    // The object-store path checks each version's commit marker: one exists per version listed.
    assertThat(polls.measured().get(0).calls()).containsKey("exists");
    // docs/scaling.md: two more calls per visible version than on a file system (the marker).
    assertThat(CountingFileSystems.total(polls.measured().get(0).calls()))
        .isEqualTo(1 + 8L * MODELS);
  }

  @Test
  void pollOfModelsOnHdfs() throws Exception {
    Configuration clusterConf = new HdfsConfiguration();
    hdfs =
        new MiniDFSCluster.Builder(clusterConf, WORK.resolve("hdfs").toFile())
            .numDataNodes(1)
            .build();
    hdfs.waitActive();
    String uri = "hdfs://localhost:" + hdfs.getNameNodePort() + "/store";
    FileSystem plain = hdfs.getFileSystem();
    assertThat(
            FileUtil.copy(
                FileSystem.getLocal(clusterConf),
                new org.apache.hadoop.fs.Path(localStore.toUri()),
                plain,
                new org.apache.hadoop.fs.Path("/store"),
                false,
                clusterConf))
        .isTrue();

    Configuration conf = CountingFileSystems.install(new Configuration(clusterConf));
    Polls polls = measure(ModelStore.open(uri, conf), StorePollingCostTest::nameNodeOps);
    polls.print("HDFS (MiniDFSCluster, 1 DataNode)");

    // The client's count is what the NameNode served: a listing is one getListing, an exists or a
    // status one getFileInfo, an open one getBlockLocations.
    for (Poll poll : polls.measured()) {
      Map<String, Long> c = poll.calls();
      Map<String, Long> nn = poll.server();
      assertThat(nn.get("GetListingOps")).isEqualTo(c.getOrDefault("listStatus", 0L));
      assertThat(nn.get("FileInfoOps"))
          .isEqualTo(c.getOrDefault("exists", 0L) + c.getOrDefault("getFileStatus", 0L));
      assertThat(nn.get("GetBlockLocations")).isEqualTo(c.getOrDefault("open", 0L));
    }
  }

  /** One refresh: the client's calls, the server's counters (HDFS only), the wall time. */
  record Poll(Map<String, Long> calls, Map<String, Long> server, long nanos) {}

  record Polls(List<Poll> measured) {
    void print(String fs) {
      Poll first = measured.get(0);
      long total = CountingFileSystems.total(first.calls());
      List<Long> millis =
          measured.stream().map(p -> Duration.ofNanos(p.nanos()).toMillis()).sorted().toList();
      System.out.printf(
          "store polling, %s, %d models: %d file-system calls per poll (%.2f per model) %s"
              + "%s; poll wall time min/median/max %d/%d/%d ms over %d polls%n",
          fs,
          MODELS,
          total,
          (double) total / MODELS,
          first.calls(),
          first.server().isEmpty() ? "" : "; NameNode " + first.server(),
          millis.get(0),
          millis.get(millis.size() / 2),
          millis.get(millis.size() - 1),
          millis.size());
    }
  }

  interface Counters {
    Map<String, Long> read() throws Exception;
  }

  /** Loads every model, then times steady-state polls (nothing new in the store). */
  private static Polls measure(ModelStore store, Counters server) {
    ModelsSection d = ModelsSection.DEFAULTS;
    ModelsSection models =
        new ModelsSection(
            Duration.ZERO, // polled by hand below, not by a background poller
            SelfTestMode.REQUIRED,
            d.selfTestTolerance(),
            10, // warm-up rows: load time is not what this measures
            d.maxBundleBytes(),
            d.maxBundleEntries());
    try (ModelRegistry registry =
        new ModelRegistry(
            store,
            new MleapModelLoader(BundleArchive.withDefaultLimits()),
            models,
            FallbackSection.DEFAULTS,
            ModelEvents.NONE)) {
      long heapBefore = usedHeapAfterGc();
      long loadStart = System.nanoTime();
      registry.loadAll();
      long loadNanos = System.nanoTime() - loadStart;
      assertServing(registry);
      double heapMib = (usedHeapAfterGc() - heapBefore) / 1048576.0;
      System.out.printf(
          "store polling: first read and load of %d models took %d ms (%.0f ms per model, self-test"
              + " and 10 warm-up rows included); heap after GC grew by %.1f MiB (%.2f MiB per"
              + " loaded model)%n",
          MODELS,
          Duration.ofNanos(loadNanos).toMillis(),
          Duration.ofNanos(loadNanos).toMillis() / (double) MODELS,
          heapMib,
          heapMib / MODELS);
      registry.refresh(); // one unmeasured poll: class loading and JIT of the poll path
      List<Poll> polls = new ArrayList<>();
      for (int i = 0; i < MEASURED_POLLS; i++) {
        Map<String, Long> before = read(server);
        CountingFileSystems.reset();
        long start = System.nanoTime();
        registry.refresh();
        long nanos = System.nanoTime() - start;
        Map<String, Long> calls = CountingFileSystems.snapshot();
        polls.add(new Poll(calls, minus(read(server), before), nanos));
      }
      assertServing(registry);
      // Nothing changed in the store, so every poll asks the same questions.
      assertThat(polls).allSatisfy(p -> assertThat(p.calls()).isEqualTo(polls.get(0).calls()));
      assertThat(CountingFileSystems.total(polls.get(0).calls())).isGreaterThanOrEqualTo(MODELS);
      return new Polls(polls);
    }
  }

  /** Heap in use after a full collection: a rough figure for what the loaded models hold. */
  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void assertServing(ModelRegistry registry) {
    assertThat(registry.all()).hasSize(MODELS);
    assertThat(registry.all()).allSatisfy(m -> assertThat(m.serving()).isEqualTo(1));
    assertThat(registry.ready()).isTrue();
  }

  private static Map<String, Long> read(Counters counters) {
    try {
      return counters.read();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the server's counters", e);
    }
  }

  private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }

  /**
   * The NameNode's own operation counters (its NameNodeActivity metrics). Read from the live
   * counters: their JMX view is a snapshot refreshed only every 10 s, too slow for one poll.
   */
  private static Map<String, Long> nameNodeOps() throws ReflectiveOperationException {
    NameNodeMetrics metrics = NameNode.getNameNodeMetrics();
    Map<String, Long> ops = new LinkedHashMap<>();
    for (String[] counter :
        new String[][] {
          {"GetListingOps", "getListingOps"},
          {"FileInfoOps", "fileInfoOps"},
          {"GetBlockLocations", "getBlockLocations"}
        }) {
      Field field = NameNodeMetrics.class.getDeclaredField(counter[1]);
      field.setAccessible(true);
      ops.put(counter[0], ((MutableCounterLong) field.get(metrics)).value());
    }
    return ops;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
