package io.mlplatform.serving;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package structure of serving, read from the source files' {@code package} and {@code import}
 * lines (classes of one package need no import, so imports are exactly the cross-package uses).
 */
class ArchitectureTest {

  // Surefire runs in the module directory.
  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final String ROOT = "io.mlplatform.serving";
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

  @Test
  void onlyTheScoringPackageImportsMleapOrScala() {
    List<String> leaks = new ArrayList<>();
    sources()
        .forEach(
            (file, source) -> {
              if (!packageOf(source).equals(ROOT + ".scoring")) {
                imports(source).stream()
                    .filter(i -> i.startsWith("ml.combust.") || i.startsWith("scala."))
                    .forEach(i -> leaks.add(file + " imports " + i));
              }
            });

    assertThat(leaks)
        .as("MLeap and Scala types stay behind ScoringModel, in serving.scoring")
        .isEmpty();
  }

  @Test
  void thePackageGraphHasNoCycle() {
    Map<String, Set<String>> graph = graph(sources());

    assertThat(graph)
        .containsKeys(ROOT + ".config", ROOT + ".lifecycle", ROOT + ".scoring", ROOT + ".http");
    assertThat(cycle(graph)).as("a package loop in serving (the graph: " + graph + ")").isEmpty();
  }

  @Test
  void configurationDependsOnNothingThatItConfigures() {
    Set<String> used = graph(sources()).get(ROOT + ".config");

    assertThat(used).isSubsetOf(ROOT + ".auth", ROOT + ".validation");
  }

  /** The check above can fail: a loop of three packages is found and named in order. */
  @Test
  void aLoopIsFoundAndNamed() {
    Map<String, Set<String>> graph =
        new TreeMap<>(
            Map.of("a", Set.of("b"), "b", Set.of("c", "d"), "c", Set.of("a"), "d", Set.of()));

    assertThat(cycle(graph)).containsExactly("a", "b", "c", "a");
    assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
  }

  /** Source text by file, for every main source file of serving. */
  private static Map<Path, String> sources() {
    Map<Path, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(file, Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(sources)
        .as("serving's sources under " + SOURCES.toAbsolutePath())
        .hasSizeGreaterThan(50);
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

  /** Package to the serving packages it imports from. */
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
