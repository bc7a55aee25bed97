package io.mlplatform.store.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.StoreJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The alias files of a model: {@code MODEL/aliases/NAME}, one small JSON document each, replaced
 * whole (written under a temporary name in {@code .staging}, then moved over the old one).
 */
final class Aliases {

  static final String DIR = Layout.ALIASES;
  // A letter first, so that "3" and "v3" always mean versions.
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern VERSION_LIKE = Pattern.compile("[vV][0-9]+");

  private final FileOps ops;

  Aliases(FileOps ops) {
    this.ops = ops;
  }

  static void checkName(String alias) {
    if (alias == null || !NAME.matcher(alias).matches() || VERSION_LIKE.matcher(alias).matches()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "alias name '"
              + alias
              + "' is invalid: use 1-64"
              + " letters, digits, '_' or '-', starting with a letter (and not v<number>, which names a version)");
    }
  }

  /**
   * Every alias of a model, sorted by name; a malformed alias file fails the whole listing
   * (CORRUPT).
   */
  List<Alias> list(Path modelDir, String model) {
    return list(
        modelDir,
        model,
        e -> {
          throw e;
        });
  }

  /**
   * Every readable alias of a model, sorted by name. A malformed alias file (CORRUPT) goes to
   * {@code malformed} and is left out, so that one bad file does not hide the model's other
   * aliases; an alias removed while listing is left out; an I/O error fails the listing.
   */
  List<Alias> list(
      Path modelDir, String model, java.util.function.Consumer<StoreException> malformed) {
    List<Alias> aliases = new ArrayList<>();
    for (FileStatus status : ModelStore.list(ops.reader(), new Path(modelDir, DIR))) {
      String name = status.getPath().getName();
      if (status.isFile() && NAME.matcher(name).matches()) {
        try {
          aliases.add(read(status.getPath(), model, name));
        } catch (StoreException e) {
          if (e.kind() == StoreException.Kind.CORRUPT) {
            malformed.accept(e);
          } else if (e.kind() != StoreException.Kind.NOT_FOUND) {
            throw e;
          }
        }
      }
    }
    aliases.sort((a, b) -> a.name().compareTo(b.name()));
    return aliases;
  }

  Optional<Alias> get(Path modelDir, String model, String name) {
    checkName(name);
    Path file = new Path(new Path(modelDir, DIR), name);
    try {
      if (!ops.reader().exists(file)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(read(file, model, name));
  }

  void put(Path modelDir, Path stagingDir, Alias alias) throws IOException {
    Path dir = new Path(modelDir, DIR);
    Path tmp = new Path(stagingDir, "alias-" + UUID.randomUUID() + ".json");
    ops.mkdirs(dir);
    ops.mkdirs(stagingDir);
    ops.writeFile(tmp, StoreJson.mapper().writeValueAsBytes(alias));
    ops.replace(tmp, new Path(dir, alias.name()));
  }

  /** Removes an alias file; a missing one is not an error. */
  void remove(Path modelDir, String name) throws IOException {
    ops.delete(new Path(new Path(modelDir, DIR), name));
  }

  private Alias read(Path file, String model, String name) {
    ObjectMapper mapper = StoreJson.mapper();
    Alias alias;
    try (InputStream in = ops.openSmall(file)) {
      alias = mapper.readValue(in, Alias.class);
    } catch (FileNotFoundException e) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, model + " has no alias " + name, e);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "alias " + name + " of " + model + " is malformed (" + file + "): " + e.getMessage(),
          e);
    } catch (IOException e) {
      // The file system failed, not the content: retrying may succeed.
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot read alias " + name + " of " + model + " (" + file + "): " + e.getMessage(),
          e);
    }
    if (alias == null || alias.version() < 1) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "alias "
              + name
              + " of "
              + model
              + " is malformed ("
              + file
              + "): it needs a version >= 1");
    }
    return new Alias(name, alias.version(), alias.updatedAt(), alias.by(), alias.reason());
  }
}
