package io.mlplatform.store.storage;

import io.mlplatform.store.format.Layout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link KilledPublisherTest}: publishes, promotes, rolls back and deletes
 * versions of one model until it is killed. Prints "round N" as each round starts.
 */
public final class PublishLoop {

  private PublishLoop() {}

  public static void main(String[] args) throws Exception {
    ModelStore store = ModelStore.open(args[0]);
    Path bundle = Files.createTempFile("publish-loop", ".zip");
    try {
      for (int round = 0; ; round++) {
        System.out.println("round " + round);
        System.out.flush();
        Files.write(bundle, KilledPublisherTest.bundle(round));
        Staging staging = store.stage(ModelStoreContract.MODEL);
        staging.putFile(Layout.BUNDLE, bundle);
        staging.putJsonLines(Layout.REFERENCE_ROWS, ModelStoreContract.referenceRows());
        int version = store.publish(staging, ModelStoreContract.manifestOfPublisher(round));
        store.setAlias(ModelStoreContract.MODEL, Layout.PRODUCTION, version, "round " + round);
        if (round % 2 == 1) {
          store.rollback(ModelStoreContract.MODEL, Layout.PRODUCTION, "round " + round);
          store.deleteVersion(ModelStoreContract.MODEL, version, "round " + round);
        }
      }
    } finally {
      Files.deleteIfExists(bundle);
    }
  }
}
