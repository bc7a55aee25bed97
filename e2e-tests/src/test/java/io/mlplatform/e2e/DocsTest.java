package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README and docs/ cannot rot: every shell block marked {@code ```bash runnable} runs and exits
 * 0; every {@code bin/mlplatform COMMAND} (and {@code registry|cluster|bench SUBCOMMAND}) any shell
 * block names answers {@code --help}, as does every {@code scripts/X} named; every relative link
 * points at a file that exists, and at a heading that exists when it names one. Runs against the
 * jars this build packaged.
 */
class DocsTest {

  // A runnable block is a --help or a look at a file: seconds, not minutes, even on 2 busy cores.
  private static final long TIMEOUT_SECONDS = 120;
  private static final Pattern FENCE = Pattern.compile("^(\\s*)```(.*)$");
  private static final Pattern SCRIPT = Pattern.compile("(?<![\\w/.$-])scripts/([a-z][a-z0-9-]*)");
  private static final Pattern COMMAND =
      Pattern.compile("(?<![\\w/.$-])bin/mlplatform\\s+([a-z][a-z0-9-]*)\\b(?![/.])");
  private static final Pattern SUBCOMMAND =
      Pattern.compile(
          "(?<![\\w/.$-])bin/mlplatform\\s+(registry|cluster|bench)\\s+(?:--(?:store|dir)\\s+\\S+\\s+)?([a-z]+)\\b");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  @TempDir Path dir;

  /** One fenced block: where it starts, its info string ("bash runnable") and its text. */
  record Block(Path page, int line, String info, String text) {

    boolean shell() {
      String language = info.isBlank() ? "" : info.trim().split("\\s+")[0];
      return language.equals("bash") || language.equals("sh") || language.equals("shell");
    }

    boolean runnable() {
      return shell() && List.of(info.trim().split("\\s+")).contains("runnable");
    }

    String where() {
      return root().relativize(page) + ":" + line;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRunnableBlockRunsFromTheProjectRoot() throws IOException {
    List<Block> runnable = blocks().stream().filter(Block::runnable).toList();
    assertThat(runnable).as("blocks marked ```bash runnable in README.md and docs/").isNotEmpty();
    return runnable.stream()
        .map(
            block ->
                DynamicTest.dynamicTest(
                    block.where(),
                    () -> {
                      Result result =
                          run(
                              List.of("bash", "-euo", "pipefail", "-c", block.text()),
                              "block-" + block.line());
                      assertThat(result.exitCode())
                          .as(
                              "%s exits 0:%n%s%n---%n%s",
                              block.where(), block.text(), result.output())
                          .isZero();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyScriptAShellBlockNamesAnswersHelp() throws IOException {
    Map<String, String> scripts = new LinkedHashMap<>();
    for (Block block : blocks()) {
      if (block.shell()) {
        Matcher m = SCRIPT.matcher(block.text());
        while (m.find()) {
          scripts.putIfAbsent(m.group(1), block.where());
        }
      }
    }
    return scripts.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    "scripts/" + e.getKey(),
                    () -> {
                      Path script = root().resolve("scripts").resolve(e.getKey());
                      assertThat(Files.isRegularFile(script) && Files.isExecutable(script))
                          .as(
                              "scripts/%s (named at %s) is an executable file",
                              e.getKey(), e.getValue())
                          .isTrue();
                      Result result =
                          run(List.of(script.toString(), "--help"), "help-" + e.getKey());
                      assertThat(result.exitCode())
                          .as("scripts/%s --help:%n%s", e.getKey(), result.output())
                          .isZero();
                      assertThat(result.output())
                          .as("scripts/%s --help", e.getKey())
                          .contains("Usage:");
                    }));
  }

  /**
   * Every command and subcommand of bin/mlplatform a shell block names exists and answers --help.
   */
  @TestFactory
  Stream<DynamicTest> everyMlplatformCommandAShellBlockNamesAnswersHelp() throws IOException {
    Map<String, String> commands = new LinkedHashMap<>();
    for (Block block : blocks()) {
      if (block.shell()) {
        Matcher m = COMMAND.matcher(block.text());
        while (m.find()) {
          commands.putIfAbsent(m.group(1), block.where());
        }
        Matcher sub = SUBCOMMAND.matcher(block.text());
        while (sub.find()) {
          commands.putIfAbsent(sub.group(1) + " " + sub.group(2), block.where());
        }
      }
    }
    assertThat(commands)
        .as("bin/mlplatform commands named in shell blocks")
        .containsKeys("quickstart", "train", "serve", "registry promote");
    return commands.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    "bin/mlplatform " + e.getKey(),
                    () -> {
                      List<String> command =
                          new ArrayList<>(List.of(root().resolve("bin/mlplatform").toString()));
                      command.addAll(List.of(e.getKey().split(" ")));
                      command.add("--help");
                      Result result = run(command, "mlplatform-" + e.getKey().replace(' ', '-'));
                      assertThat(result.exitCode())
                          .as(
                              "bin/mlplatform %s --help (named at %s):%n%s",
                              e.getKey(), e.getValue(), result.output())
                          .isZero();
                      assertThat(result.output())
                          .as(
                              "bin/mlplatform %s is a command (named at %s)",
                              e.getKey(), e.getValue())
                          .startsWith("Usage: mlplatform " + e.getKey() + " ");
                    }));
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      List<String> lines = Files.readAllLines(page);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        if (FENCE.matcher(lines.get(i)).matches()) {
          fenced = !fenced;
          continue;
        }
        Matcher m = LINK.matcher(lines.get(i));
        while (!fenced && m.find()) {
          String problem = check(page, m.group(1));
          if (problem != null) {
            broken.add(
                root().relativize(page) + ":" + (i + 1) + ": " + m.group(1) + ": " + problem);
          }
        }
      }
    }
    assertThat(broken).as("broken relative links").isEmpty();
  }

  /** Null when the link resolves; otherwise what is wrong with it. */
  private static String check(Path page, String link) throws IOException {
    if (link.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return null; // http:, https:, mailto: ... are not checked here
    }
    int hash = link.indexOf('#');
    String file = hash < 0 ? link : link.substring(0, hash);
    Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!target.startsWith(root())) {
      return "points outside the repository";
    }
    if (!Files.exists(target)) {
      return "no such file";
    }
    if (hash >= 0 && target.toString().endsWith(".md")) {
      String anchor = link.substring(hash + 1);
      Set<String> anchors = anchors(target);
      if (!anchors.contains(anchor)) {
        return "no heading '#"
            + anchor
            + "' in "
            + root().relativize(target)
            + " (has: "
            + anchors
            + ")";
      }
    }
    return null;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new TreeSet<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(page)) {
      if (FENCE.matcher(line).matches()) {
        fenced = !fenced;
      } else if (!fenced && line.matches("^#{1,6} .*")) {
        String heading = line.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root().resolve("README.md"));
    try (Stream<Path> docs = Files.list(root().resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    pages.add(root().resolve("benchmarks/RESULTS.md"));
    return pages;
  }

  /** Every fenced block of every page, its text without the fence's own indentation. */
  private static List<Block> blocks() throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (Path page : pages()) {
      List<String> lines = Files.readAllLines(page);
      for (int i = 0; i < lines.size(); i++) {
        Matcher open = FENCE.matcher(lines.get(i));
        if (!open.matches()) {
          continue;
        }
        String indent = open.group(1);
        StringBuilder text = new StringBuilder();
        int start = i + 1;
        for (i++; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
          String line = lines.get(i);
          text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.trim())
              .append('\n');
        }
        blocks.add(new Block(page, start, open.group(2), text.toString()));
      }
    }
    return blocks;
  }

  private record Result(int exitCode, String output) {}

  private Result run(List<String> command, String name) throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The build already packaged everything; a script must not start another Maven build.
    builder.environment().put("MLPLATFORM_NO_BUILD", "1");
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " did not finish in "
              + TIMEOUT_SECONDS
              + " s:\n"
              + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static Path root() {
    return TrainingProcess.projectRoot();
  }
}
