package io.mlplatform.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top-level help's command list as a tree: picocli lists only direct subcommands, and an
 * operator looking for "promote" should not have to guess that it lives under registry.
 */
final class CommandTree implements IHelpSectionRenderer {

  private static final int NAME_COLUMN = 22;

  @Override
  public String render(Help help) {
    StringBuilder out = new StringBuilder();
    int width = help.commandSpec().usageMessage().width();
    append(help, 1, width, out);
    return out.toString();
  }

  private static void append(Help help, int depth, int width, StringBuilder out) {
    Map<CommandSpec, Boolean> seen = new IdentityHashMap<>();
    for (Map.Entry<String, Help> entry : help.subcommands().entrySet()) {
      CommandSpec spec = entry.getValue().commandSpec();
      if (seen.put(spec, true) != null || spec.usageMessage().hidden() || spec.helpCommand()) {
        continue;
      }
      String name = "  ".repeat(depth) + spec.name();
      String[] description = spec.usageMessage().description();
      String text = description.length == 0 ? "" : description[0];
      List<String> lines = wrap(text, Math.max(20, width - NAME_COLUMN - 1));
      out.append(
          String.format("%-" + NAME_COLUMN + "s %s%n", name, lines.isEmpty() ? "" : lines.get(0)));
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        out.append(" ".repeat(NAME_COLUMN + 1)).append(line).append(System.lineSeparator());
      }
      append(entry.getValue(), depth + 1, width, out);
    }
  }

  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.trim().split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
