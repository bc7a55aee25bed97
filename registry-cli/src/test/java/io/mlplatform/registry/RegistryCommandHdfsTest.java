package io.mlplatform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.registry.Cli.Run;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry command against a store on a real HDFS (one MiniDFSCluster for the class). */
class RegistryCommandHdfsTest {

  @TempDir static Path clusterDir;
  @TempDir Path work;

  private static MiniDFSCluster cluster;
  private static Configuration conf;

  @BeforeAll
  static void startHdfs() throws IOException {
    conf = new HdfsConfiguration();
    // See store-format's HdfsModelStoreTest: a faster poll on close, nothing else changes.
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
    cluster = new MiniDFSCluster.Builder(conf, clusterDir.toFile()).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (cluster != null) {
      try {
        FileSystem.get(URI.create(uri()), conf).close();
      } finally {
        cluster.shutdown();
      }
    }
  }

  private static String uri() {
    return "hdfs://localhost:" + cluster.getNameNodePort() + "/models";
  }

  @Test
  void listPromoteRollbackHistoryAndRefusalsOnHdfs() {
    ModelStore store = ModelStore.open(uri(), conf);
    Cli.publish(store, "penguins", 0.95, work);
    Cli.publish(store, "penguins", 0.97, work);
    store.setAlias("penguins", Layout.PRODUCTION, 1, "first");

    // The CLI opens the store from its URI alone, as mlplatform registry does.
    Run promote = Cli.run("--store", uri(), "promote", "penguins", "2", "--reason", "better");
    Run list = Cli.run("--store", uri(), "list");
    Run refused = Cli.run("--store", uri(), "delete", "penguins", "2", "--reason", "superseded");
    Run rollback = Cli.run("--store", uri(), "rollback", "penguins", "--reason", "regression");
    Run history = Cli.run("--store", uri(), "history", "penguins");
    Run show = Cli.run("--store", uri(), "show", "penguins", "production");

    assertThat(promote.out()).isEqualTo("penguins production: v1 -> v2\n");
    assertThat(list.out()).contains("penguins  2         v2      production=v2");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("cannot delete penguins v2: production points at it");
    assertThat(store.versions("penguins")).containsExactly(1, 2);
    assertThat(rollback.out()).isEqualTo("penguins production rolled back: v2 -> v1\n");
    assertThat(history.out()).contains("promote", "rollback", "production: v2 -> v1");
    assertThat(show.out()).contains("\"version\" : 1");
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(1);
  }
}
