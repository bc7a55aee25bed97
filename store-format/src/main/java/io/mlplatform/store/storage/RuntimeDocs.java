package io.mlplatform.store.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Pin;
import io.mlplatform.store.format.RoutingDoc;
import io.mlplatform.store.format.RuntimeState;
import io.mlplatform.store.format.StoreJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.Path;

/**
 * A model's runtime documents, {@code MODEL/runtime/pin.json} and {@code
 * MODEL/runtime/routing.json}: small JSON files replaced whole like aliases (written in {@code
 * .staging}, then moved over the old one). Every serving replica reads them at every poll, so a
 * read opens each file directly, without listing or checking first: one call per file, a missing
 * file being the answer "none".
 */
final class RuntimeDocs {

  static final String DIR = Layout.RUNTIME;

  private final FileOps ops;

  RuntimeDocs(FileOps ops) {
    this.ops = ops;
  }

  /**
   * Both documents. A malformed one counts as absent and is named in {@link
   * RuntimeState#malformed()}, so one bad file never stops a poll; a file system error fails the
   * read (IO), like an unreadable alias listing.
   */
  RuntimeState read(Path modelDir, String model) {
    List<String> malformed = new ArrayList<>();
    Path dir = new Path(modelDir, DIR);
    Pin pin = read(new Path(dir, Layout.PIN), model, Pin.class, malformed);
    if (pin != null && pin.version() != null && pin.version() < 1) {
      malformed.add(problem(model, Layout.PIN, "its version must be >= 1 or null"));
      pin = null;
    }
    RoutingDoc routing = read(new Path(dir, Layout.ROUTING), model, RoutingDoc.class, malformed);
    if (routing != null && routing.rule() != null && routing.rule().problem() != null) {
      malformed.add(problem(model, Layout.ROUTING, routing.rule().problem()));
      routing = null;
    }
    return pin == null && routing == null && malformed.isEmpty()
        ? RuntimeState.NONE
        : new RuntimeState(pin, routing, malformed);
  }

  void put(Path modelDir, Path stagingDir, String name, Object document) throws IOException {
    Path dir = new Path(modelDir, DIR);
    Path tmp = new Path(stagingDir, "runtime-" + UUID.randomUUID() + ".json");
    ops.mkdirs(dir);
    ops.mkdirs(stagingDir);
    ops.writeFile(tmp, StoreJson.mapper().writeValueAsBytes(document));
    ops.replace(tmp, new Path(dir, name));
  }

  private <T> T read(Path file, String model, Class<T> type, List<String> malformed) {
    try (InputStream in = ops.openSmall(file)) {
      T document = StoreJson.mapper().readValue(in, type);
      if (document == null) {
        malformed.add(problem(model, file.getName(), "it is empty"));
      }
      return document;
    } catch (FileNotFoundException e) {
      return null;
    } catch (JsonProcessingException | RuntimeException e) {
      malformed.add(problem(model, file.getName(), e.getMessage()));
      return null;
    } catch (IOException e) {
      // The file system failed, not the content: the next poll may succeed.
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot read " + DIR + "/" + file.getName() + " of " + model + ": " + e.getMessage(),
          e);
    }
  }

  private static String problem(String model, String name, String why) {
    return DIR + "/" + name + " of " + model + " is malformed: " + why;
  }
}
