package io.mlplatform.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * mlplatform completion: bash (and zsh, through bashcompinit) completion generated from the same
 * tree.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description =
        "Prints a bash completion script for every command and option: source <(mlplatform completion).",
    footer = {
      "",
      "Install for every shell: mlplatform completion > /etc/bash_completion.d/mlplatform",
      "(or ~/.local/share/bash-completion/completions/mlplatform). zsh: autoload -U bashcompinit; bashcompinit first."
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("mlplatform", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
