package io.mlplatform.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a benchmark ran: the figures mean little without the machine and how busy it was. */
public final class Machine {

  private Machine() {}

  /**
   * @param loadAtStart {@code /proc/loadavg} as the script read it before the run, or null
   */
  public static Map<String, Object> describe(String loadAtStart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memoryGiB", memoryGiB());
    m.put("cpu", cpuModel());
    m.put(
        "jdk",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("loadAverageAtStart", loadAtStart == null ? "unknown" : firstThree(loadAtStart));
    m.put("loadAverageAtEnd", firstThree(read("/proc/loadavg")));
    return m;
  }

  /** The "Machine: ..." line under a report's tables, from what {@link #describe} recorded. */
  static String line(JsonNode m) {
    return "Machine: "
        + m.path("cores").asText()
        + " cores ("
        + m.path("cpu").asText()
        + "), "
        + m.path("memoryGiB").asText()
        + " GiB RAM, "
        + m.path("jdk").asText()
        + "; load average (1/5/15 min) "
        + m.path("loadAverageAtStart").asText()
        + " at start, "
        + m.path("loadAverageAtEnd").asText()
        + " at end.\n";
  }

  static String firstThree(String loadavg) {
    if (loadavg == null) {
      return "unknown";
    }
    String[] parts = loadavg.trim().split("\\s+");
    return parts.length < 3 ? loadavg.trim() : parts[0] + " " + parts[1] + " " + parts[2];
  }

  private static String memoryGiB() {
    String meminfo = read("/proc/meminfo");
    if (meminfo == null) {
      return "unknown";
    }
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format(java.util.Locale.ROOT, "%.1f", kib / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  private static String cpuModel() {
    String cpuinfo = read("/proc/cpuinfo");
    if (cpuinfo != null) {
      for (String line : cpuinfo.split("\n")) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    }
    return System.getProperty("os.arch");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return null;
    }
  }
}
