package io.mlplatform.bench.capacity;

import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;

/**
 * Publishes one trained version again and again through the store's own publish path, so that a
 * model has many versions without training each: every file of the version is staged as it is and
 * published under the next number, as training publishes. With {@code --aliases}, an alias {@code
 * capacity-N} then points at every version N but the first: the service keeps every alias target
 * loaded, so all of them are in memory at once.
 *
 * <p>{@code CopyVersions STORE MODEL COUNT [--aliases]}: copies version 1 until the model has COUNT
 * versions.
 */
public final class CopyVersions {

  private CopyVersions() {}

  public static void main(String[] args) throws IOException {
    ModelStore store = ModelStore.open(args[0]);
    String model = args[1];
    int count = Integer.parseInt(args[2]);
    boolean aliases = args.length > 3 && args[3].equals("--aliases");
    Manifest first = store.manifest(model, 1);
    Path source = new Path(URI.create(store.uri() + "/" + model + "/" + Layout.VERSIONS + "/1"));
    FileSystem fs = source.getFileSystem(new Configuration());
    while (store.versions(model).size() < count) {
      Staging staging = store.stage(model);
      for (var file : fs.listStatus(source)) {
        String name = file.getPath().getName();
        if (name.equals(Layout.MANIFEST)) {
          continue; // publish writes it, with the new number
        }
        Path target = new Path(URI.create(staging.location(name)));
        FileUtil.copy(
            fs,
            file.getPath(),
            target.getFileSystem(fs.getConf()),
            target,
            false,
            true,
            fs.getConf());
      }
      int version = store.publish(staging, first);
      if (aliases) {
        store.setAlias(model, "capacity-" + version, version, "capacity benchmark");
      }
    }
    System.out.println(model + ": " + store.versions(model).size() + " versions");
  }
}
