package io.mlplatform.training.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * MLeap 0.20, the runtime serving uses, in a class loader of its own inside the training job.
 *
 * <p>The training classpath has mleap-spark 0.16 and its 0.16 runtime, Scala 2.12.18 and Breeze 2,
 * so 0.20 cannot sit next to them. The build embeds the {@code export-verifier} module as a zip
 * ({@value #ARCHIVE}: its classes and the jars it needs); the first use extracts it to a temporary
 * directory and opens a {@link URLClassLoader} whose parent is the platform loader: it sees the JDK
 * and its own jars, never Spark, Scala or MLeap of the job. Only {@code java.*} types cross (maps,
 * lists, strings, numbers). The loader lives as long as the JVM; the files are deleted when it
 * exits.
 */
final class IsolatedRuntime {

  static final String ARCHIVE = "/META-INF/mlplatform/export-verifier-runtime.zip";
  static final String ENTRY_POINT = "io.mlplatform.verifier.BundleScorer";

  private static Function<Map<String, Object>, Map<String, Object>> scorer;

  private IsolatedRuntime() {}

  /**
   * The isolated scorer, created on the first call (about 1.5 s: 48 MB of jars extracted, then
   * loaded).
   */
  static synchronized Function<Map<String, Object>, Map<String, Object>> scorer() {
    if (scorer == null) {
      scorer = create();
    }
    return scorer;
  }

  @SuppressWarnings("unchecked")
  private static Function<Map<String, Object>, Map<String, Object>> create() {
    try {
      ClassLoader loader =
          new URLClassLoader(
              "mleap-runtime-isolated", extract(), ClassLoader.getPlatformClassLoader());
      return (Function<Map<String, Object>, Map<String, Object>>)
          Class.forName(ENTRY_POINT, true, loader).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start the isolated MLeap runtime: " + e, e);
    }
  }

  /** classes/ becomes one classpath directory, every lib/*.jar one classpath entry. */
  private static URL[] extract() {
    try (InputStream archive = IsolatedRuntime.class.getResourceAsStream(ARCHIVE)) {
      if (archive == null) {
        throw new IllegalStateException(
            "the job jar lacks " + ARCHIVE + " (built by the export-verifier module)");
      }
      Path dir = Files.createTempDirectory("mlplatform-mleap-runtime-").toAbsolutePath();
      // deleteOnExit works in reverse order of registration: register parents before children.
      dir.toFile().deleteOnExit();
      // Created first: a directory URL needs its trailing slash, which toUri() adds only to one
      // that exists.
      Path classes = Files.createDirectories(dir.resolve("classes"));
      List<URL> urls = new ArrayList<>();
      urls.add(classes.toUri().toURL());
      try (ZipInputStream zip = new ZipInputStream(archive)) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          Path target = dir.resolve(entry.getName()).normalize();
          if (!target.startsWith(dir)) {
            throw new IllegalStateException("unsafe entry in " + ARCHIVE + ": " + entry.getName());
          }
          target.toFile().deleteOnExit();
          if (entry.isDirectory()) {
            Files.createDirectories(target);
            continue;
          }
          Files.createDirectories(target.getParent());
          Files.copy(zip, target);
          if (target.getParent().equals(dir.resolve("lib")) && entry.getName().endsWith(".jar")) {
            urls.add(target.toUri().toURL());
          }
        }
      }
      return urls.toArray(URL[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the isolated MLeap runtime: " + e, e);
    }
  }
}
