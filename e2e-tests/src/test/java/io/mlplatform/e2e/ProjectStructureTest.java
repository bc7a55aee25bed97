package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure of the whole project, read from every module's main sources ({@code package} and
 * {@code import} lines; classes of one package need no import, so imports are exactly the
 * cross-package uses). The modules follow the data's path, spec, train and verify, store, load,
 * validate and score, and no package depends on one that depends back on it.
 */
class ProjectStructureTest {

  private static final String ROOT = "io.mlplatform";
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

  @Test
  void thePackageGraphHasNoCycle() {
    Map<String, Set<String>> graph = graph(sources(m -> true));

    assertThat(graph)
        .containsKeys(
            ROOT + ".spec",
            ROOT + ".store.format",
            ROOT + ".store.storage",
            ROOT + ".training",
            ROOT + ".serving.scoring",
            ROOT + ".cli");
    assertThat(cycle(graph)).as("a package loop (the graph: " + graph + ")").isEmpty();
  }

  /** The contracts (spec, promotion policy, config syntax) are read without Spark or MLeap. */
  @Test
  void theSpecModuleStandsAlone() {
    assertImportsOnly(
        "model-spec",
        i ->
            !i.startsWith(ROOT + ".")
                || i.startsWith(ROOT + ".spec")
                || i.startsWith(ROOT + ".config"),
        i ->
            i.startsWith("org.apache.spark.")
                || i.startsWith("ml.combust.")
                || i.startsWith("scala."));
  }

  /** The store format is the contract between training and serving: it knows neither. */
  @Test
  void theStoreKnowsNothingAboveIt() {
    assertImportsOnly(
        "store-format",
        i -> !i.startsWith(ROOT + ".") || i.startsWith(ROOT + ".store."),
        i -> i.startsWith("org.apache.spark.") || i.startsWith("ml.combust."));
    Map<String, Set<String>> graph = graph(sources(m -> m.equals("store-format")));
    assertThat(graph.get(ROOT + ".store.format"))
        .as("the format needs no storage engine")
        .isEmpty();
  }

  /**
   * Serving loads and scores without Spark, and knows nothing of training or the operator tools.
   */
  @Test
  void servingNeedsNeitherSparkNorTraining() {
    assertImportsOnly(
        "serving",
        i ->
            !i.startsWith(ROOT + ".")
                || i.startsWith(ROOT + ".serving")
                || i.startsWith(ROOT + ".store.")
                || i.startsWith(ROOT + ".config."),
        i -> i.startsWith("org.apache.spark."));
  }

  /** Only serving.scoring touches MLeap or Scala: the rest of serving speaks ScoringModel. */
  @Test
  void onlyServingScoringImportsMleapOrScala() {
    List<String> leaks = new ArrayList<>();
    sources(m -> m.equals("serving"))
        .forEach(
            (file, source) -> {
              if (!packageOf(source).equals(ROOT + ".serving.scoring")) {
                imports(source).stream()
                    .filter(i -> i.startsWith("ml.combust.") || i.startsWith("scala."))
                    .forEach(i -> leaks.add(file + " imports " + i));
              }
            });

    assertThat(leaks).isEmpty();
  }

  /**
   * Serving's configuration is loaded once and handed down; it depends on nothing it configures.
   */
  @Test
  void servingConfigurationDependsOnNothingThatItConfigures() {
    Set<String> used = graph(sources(m -> m.equals("serving"))).get(ROOT + ".serving.config");

    assertThat(used)
        .isSubsetOf(ROOT + ".serving.auth", ROOT + ".serving.validation", ROOT + ".config");
  }

  /** Training writes the store; it does not reach into serving, the operator tools or the CLI. */
  @Test
  void trainingKnowsNothingDownstream() {
    assertImportsOnly(
        "training-jobs",
        i ->
            !i.startsWith(ROOT + ".")
                || i.startsWith(ROOT + ".training")
                || i.startsWith(ROOT + ".spec")
                || i.startsWith(ROOT + ".config.")
                || i.startsWith(ROOT + ".store."),
        i -> false);
  }

  /** The checks above can fail: a loop of three packages is found and named in order. */
  @Test
  void aLoopIsFoundAndNamed() {
    Map<String, Set<String>> graph =
        new TreeMap<>(
            Map.of("a", Set.of("b"), "b", Set.of("c", "d"), "c", Set.of("a"), "d", Set.of()));

    assertThat(cycle(graph)).containsExactly("a", "b", "c", "a");
    assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
  }

  private static void assertImportsOnly(
      String module, Predicate<String> allowed, Predicate<String> banned) {
    List<String> wrong = new ArrayList<>();
    sources(module::equals)
        .forEach(
            (file, source) ->
                imports(source).stream()
                    .filter(i -> !allowed.test(i) || banned.test(i))
                    .forEach(i -> wrong.add(file + " imports " + i)));

    assertThat(wrong).as(module + "'s imports").isEmpty();
  }

  /** Source text by file, for every main source file of the modules {@code modules} accepts. */
  private static Map<Path, String> sources(Predicate<String> modules) {
    Path root = TrainingProcess.projectRoot();
    Map<Path, String> sources = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path module : dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).toList()) {
        if (!modules.test(module.getFileName().toString())) {
          continue;
        }
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            sources.put(root.relativize(file), Files.readString(file));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(sources).as("main sources under " + root).isNotEmpty();
    return sources;
  }

  private static String packageOf(String source) {
    Matcher m = PACKAGE.matcher(source);
    return m.find() ? m.group(1) : "";
  }

  private static List<String> imports(String source) {
    List<String> imports = new ArrayList<>();
    Matcher m = IMPORT.matcher(source);
    while (m.find()) {
      imports.add(m.group(1));
    }
    return imports;
  }

  /** Package to the project's packages it imports from. */
  private static Map<String, Set<String>> graph(Map<Path, String> sources) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String source : sources.values()) {
      String from = packageOf(source);
      Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (String imported : imports(source)) {
        String pkg = packageOfType(imported);
        if ((pkg.equals(ROOT) || pkg.startsWith(ROOT + ".")) && !pkg.equals(from)) {
          to.add(pkg);
        }
      }
    }
    return graph;
  }

  /** {@code a.b.Type.Nested} and {@code a.b.Type.member} (static imports) belong to {@code a.b}. */
  private static String packageOfType(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  /**
   * One loop, as the packages along it with the first repeated at the end, or empty when there is
   * none.
   */
  static List<String> cycle(Map<String, Set<String>> graph) {
    Set<String> done = new HashSet<>();
    for (String start : graph.keySet()) {
      Deque<String> path = new ArrayDeque<>();
      List<String> found = visit(start, graph, path, new HashSet<>(), done);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String node,
      Map<String, Set<String>> graph,
      Deque<String> path,
      Set<String> onPath,
      Set<String> done) {
    if (onPath.contains(node)) {
      List<String> loop = new ArrayList<>();
      boolean in = false;
      for (String p : (Iterable<String>) path::descendingIterator) {
        in |= p.equals(node);
        if (in) {
          loop.add(p);
        }
      }
      loop.add(node);
      return loop;
    }
    if (!done.add(node)) {
      return List.of();
    }
    path.push(node);
    onPath.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      List<String> found = visit(next, graph, path, onPath, done);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.pop();
    onPath.remove(node);
    return List.of();
  }
}
