package io.mlplatform.retraining;

import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** mlplatform scheduler: runs every model's retraining on its cron schedule until stopped. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description =
        "Retrains models on their cron schedules (conf/retraining.yaml) until SIGTERM or Ctrl-C.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by a signal", "2:bad configuration (every problem is listed)"})
public final class SchedulerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "conf/retraining.yaml",
      description = "Schedule configuration (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--store",
      paramLabel = "URI",
      description =
          "Model store; overrides the file's store: key (whose default is $MLPLATFORM_STORE).")
  String store;

  /**
   * The old spelling is refused by name rather than reported as unknown: every command says
   * --config.
   */
  @Option(names = "--conf", paramLabel = "FILE", hidden = true)
  void renamedConf(String ignored) {
    throw new ParameterException(spec.commandLine(), "option '--conf' was renamed to '--config'");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ScheduleConfig schedules;
    ModelStore modelStore;
    String location;
    try {
      String fallback =
          System.getenv().getOrDefault("MLPLATFORM_STORE", ModelStore.DEFAULT_LOCATION);
      schedules = ScheduleConfig.load(config, fallback);
      location = store != null ? store : schedules.store();
      modelStore = ModelStore.open(location);
    } catch (RetrainException | StoreException e) {
      System.err.println("scheduler: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    RetrainScheduler scheduler =
        new RetrainScheduler(
            schedules,
            entry ->
                new RetrainRun(
                    modelStore,
                    location,
                    new RunPolicy(
                        RetrainCommand.trainCommand(),
                        schedules.master(),
                        entry.timeout(),
                        entry.attempts(),
                        entry.retryDelay(),
                        entry.skipUnchanged(),
                        schedules.runsDir()),
                    System.out),
            System.out);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println(
                      "scheduler: stopping; runs in progress are killed and keep production as it was");
                  scheduler.close();
                  stopped.countDown();
                }));
    scheduler.start();
    stopped.await();
    return 0;
  }
}
