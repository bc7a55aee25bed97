package io.mlplatform.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes notebooks headless with {@code jupyter nbconvert --execute}, on a kernel of our own that
 * runs the Python which has the notebooks' packages: Debian's {@code /usr/bin/python3} by default,
 * since a pyenv or virtualenv {@code python3} earlier on PATH usually lacks them.
 */
final class Jupyter {

  static final String INSTALL =
      "sudo apt-get install -y --no-install-recommends jupyter-nbconvert"
          + " python3-ipykernel python3-pandas python3-matplotlib python3-requests";
  private static final String KERNEL = "mlplatform-python3";
  private static final long TIMEOUT_MINUTES = 10;

  record Outcome(int exitCode, String output) {}

  private final String python;
  private final Path workDir;
  private final String path;

  /**
   * @param python the kernel's interpreter
   * @param workDir where the kernel spec, Jupyter's runtime files and executed copies go
   */
  Jupyter(String python, Path workDir) {
    this.python = python;
    this.workDir = workDir;
    // Debian's jupyter-nbconvert before any other on PATH, for the same reason as the kernel.
    this.path = "/usr/bin:" + System.getenv().getOrDefault("PATH", "/bin");
  }

  /**
   * {@code -Dnotebooks.python}, else $MLPLATFORM_NOTEBOOK_PYTHON, else /usr/bin/python3 when
   * present.
   */
  static String defaultPython() {
    String chosen =
        System.getProperty("notebooks.python", System.getenv("MLPLATFORM_NOTEBOOK_PYTHON"));
    if (chosen != null && !chosen.isBlank()) {
      return chosen;
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /** Why notebooks cannot run here, with what to install, or null when they can. */
  String missing() {
    Outcome nbconvert = run(List.of("jupyter-nbconvert", "--version"), workDir, Map.of(), 1);
    if (nbconvert.exitCode() != 0) {
      return "jupyter-nbconvert is not installed or does not run ("
          + firstLine(nbconvert.output())
          + ")";
    }
    Outcome modules =
        run(
            List.of(python, "-c", "import ipykernel, pandas, matplotlib, requests"),
            workDir,
            Map.of(),
            1);
    if (modules.exitCode() != 0) {
      return python + " lacks the notebooks' packages (" + lastLine(modules.output()) + ")";
    }
    return null;
  }

  /**
   * Executes a copy of {@code notebook} into {@code workDir/executed/}; the original is left as it
   * is.
   */
  Outcome execute(Path notebook, Map<String, String> env) throws IOException {
    Path kernels = workDir.resolve("jupyter/kernels").resolve(KERNEL);
    Files.createDirectories(kernels);
    Files.writeString(
        kernels.resolve("kernel.json"),
        "{\"argv\": [\""
            + python.replace("\"", "\\\"")
            + "\", \"-m\", \"ipykernel_launcher\", \"-f\", \"{connection_file}\"], \"display_name\":"
            + " \"mlplatform\", \"language\": \"python\"}\n");
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("JUPYTER_PATH", workDir.resolve("jupyter").toString());
    all.put("JUPYTER_RUNTIME_DIR", workDir.resolve("jupyter/runtime").toString());
    all.put("MPLBACKEND", "Agg");
    return run(
        List.of(
            "jupyter-nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=" + KERNEL,
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            workDir.resolve("executed").toString(),
            notebook.getFileName().toString()),
        notebook.getParent(),
        all,
        TIMEOUT_MINUTES);
  }

  /**
   * The failing cell and its error from nbconvert's output ({@code CellExecutionError} prints the
   * cell's source and the traceback), without terminal colours; the whole output if there is none.
   */
  static String failure(String output) {
    String plain = output.replaceAll("\u001B\\[[0-9;]*m", "");
    int at = plain.indexOf("An error occurred while executing the following cell");
    String part = at >= 0 ? plain.substring(at) : plain;
    return part.length() > 6000 ? part.substring(0, 6000) + "\n[...]" : part;
  }

  private Outcome run(List<String> command, Path dir, Map<String, String> env, long minutes) {
    try {
      Path log = Files.createTempFile(Files.createDirectories(workDir), "jupyter", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("PATH", path);
      builder.environment().remove("MLPLATFORM_API_KEY");
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Outcome(
            -1,
            "did not finish within "
                + minutes
                + " min: "
                + command
                + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Outcome(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "interrupted");
    }
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("no output").trim();
  }

  private static String lastLine(String text) {
    List<String> lines = new ArrayList<>(text.lines().filter(l -> !l.isBlank()).toList());
    return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).trim();
  }
}
