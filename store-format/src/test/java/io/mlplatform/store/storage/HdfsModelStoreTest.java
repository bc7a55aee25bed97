package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mlplatform.store.format.Layout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store and registry contracts on a real HDFS: one NameNode and one DataNode, started once for
 * the class.
 */
class HdfsModelStoreTest extends CrashSafetyContract {

  private static final Logger LOG = LoggerFactory.getLogger(HdfsModelStoreTest.class);
  private static final String ROOT = "/store";

  @TempDir static Path clusterDir;

  private static MiniDFSCluster cluster;
  private static Configuration conf;

  @BeforeAll
  static void startHdfs() throws IOException {
    try {
      Class.forName("org.apache.log4j.Appender");
    } catch (ClassNotFoundException e) {
      // hadoop-client-minicluster shades everything but log4j; without Spark nothing else brings
      // it.
      fail(
          "MiniDFSCluster needs the log4j 1.x API (its NameNode audit log): add the test dependency"
              + " ch.qos.reload4j:reload4j:1.2.22 (Hadoop 3.3.4's own log4j) to store-format/pom.xml",
          e);
    }
    long start = System.nanoTime();
    conf = new HdfsConfiguration();
    // A closing client polls the NameNode until the DataNode has reported the file's last block,
    // first after 400 ms (the default); on a 1-DataNode test cluster that wait is most of the time
    // a small file takes. Only the polling interval changes, not what close guarantees. Set for the
    // cluster too, because its clients and the store's share one cached FileSystem per NameNode.
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 20);
    cluster = new MiniDFSCluster.Builder(conf, clusterDir.toFile()).numDataNodes(1).build();
    long built = System.nanoTime();
    cluster.waitActive();
    LOG.info(
        "MiniDFSCluster up on port {} in {} ms (build {} ms)",
        cluster.getNameNodePort(),
        (System.nanoTime() - start) / 1_000_000,
        (built - start) / 1_000_000);
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (cluster == null) {
      return;
    }
    try {
      // The store's client is cached by FileSystem.get; close it before its NameNode goes away.
      FileSystem.get(URI.create(rootUri()), conf).close();
    } finally {
      cluster.shutdown();
      cluster = null;
    }
  }

  static String rootUri() {
    return "hdfs://localhost:" + cluster.getNameNodePort() + ROOT;
  }

  @Override
  String freshLocation() throws IOException {
    cluster.getFileSystem().delete(new org.apache.hadoop.fs.Path(ROOT), true);
    return rootUri();
  }

  @Override
  ModelStore open(String location) {
    return ModelStore.open(location, conf);
  }

  @Override
  ModelStore open(String location, java.util.function.UnaryOperator<FileOps> wrap) {
    return ModelStore.open(location, conf, wrap);
  }

  @Override
  String expectedScheme() {
    return "hdfs";
  }

  @Test
  void versionFilesAreOnHdfs() throws IOException {
    publish(MODEL, bytes("on hdfs"));

    DistributedFileSystem hdfs = cluster.getFileSystem();
    org.apache.hadoop.fs.Path bundle =
        new org.apache.hadoop.fs.Path(ROOT + "/" + MODEL + "/versions/1/" + Layout.BUNDLE);
    assertThat(hdfs.getFileStatus(bundle).getLen()).isEqualTo(bytes("on hdfs").length);
    assertThat(rawFs()).isInstanceOf(DistributedFileSystem.class);
    assertThat(store.uri().getPort()).isEqualTo(cluster.getNameNodePort());
  }
}
