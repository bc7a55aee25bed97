package io.mlplatform.retraining;

import io.mlplatform.store.ModelStore;
import io.mlplatform.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** scripts/retrain-scheduler: runs every model's retraining on its cron schedule until stopped. */
@Command(name = "retrain-scheduler", mixinStandardHelpOptions = true,
    description = "Retrains models on their cron schedules (conf/retraining.yaml) until SIGTERM or Ctrl-C.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by a signal", "2:bad configuration (every problem is listed)"})
public final class SchedulerCommand implements Callable<Integer> {

  @Option(names = "--conf", paramLabel = "FILE", defaultValue = "conf/retraining.yaml",
      description = "Schedule configuration (default: ${DEFAULT-VALUE}).")
  Path conf;

  @Option(names = "--store", paramLabel = "URI",
      description = "Model store; overrides the file's store: (default: $MODEL_STORE, else ./model-store).")
  String store;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ScheduleConfig config;
    ModelStore modelStore;
    String location;
    try {
      String fallback = System.getenv().getOrDefault("MODEL_STORE", ModelStore.DEFAULT_LOCATION);
      config = ScheduleConfig.load(conf, fallback);
      location = store != null ? store : config.store();
      modelStore = ModelStore.open(location);
    } catch (RetrainException | StoreException e) {
      System.err.println("retrain-scheduler: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    RetrainScheduler scheduler = new RetrainScheduler(config, entry -> new RetrainRun(modelStore, location,
        new RunPolicy(RetrainCommand.trainCommand(), config.master(), entry.timeout(), entry.attempts(),
            entry.retryDelay(), entry.skipUnchanged(), config.runsDir()), System.out), System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("retrain-scheduler: stopping; runs in progress are killed and keep production as it was");
      scheduler.close();
      stopped.countDown();
    }));
    scheduler.start();
    stopped.await();
    return 0;
  }
}
