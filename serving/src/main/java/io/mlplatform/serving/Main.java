package io.mlplatform.serving;

import io.mlplatform.serving.config.ConfigException;
import io.mlplatform.serving.config.ConfigKeys;
import io.mlplatform.serving.config.ConfigLoader;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.ServingApp;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.store.storage.StoreException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Loads the configuration, the store and its models, then serves them until the process stops. */
@Command(
    name = "serving",
    mixinStandardHelpOptions = true,
    description =
        "Serves every model of a model store over REST (the production alias, else the latest version).",
    footer = {
      "",
      "Precedence: flags > environment (MLPLATFORM_PORT, else PORT; MLPLATFORM_HOST, MLPLATFORM_STORE,",
      "MLPLATFORM_API_KEYS, MLPLATFORM_AUTH_ENABLED) > config file > defaults.",
      "SIGTERM drains requests in flight, then exits."
    })
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int EXIT_CONFIG = 2;
  static final int EXIT_STORE = 3;
  // Slack after delay + grace + the drains after Jetty's stop before the watchdog halts a hung
  // shutdown.
  private static final long WATCHDOG_MARGIN_MS = 5_000;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML settings file (default: conf/serving.yaml when it exists)")
  Path configFile;

  // Strings, not ints: the config loader validates them with everything else and reports together.
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "TCP port (default 8080; 0 picks a free one)")
  String port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "bind address (default 127.0.0.1; 0.0.0.0 for every interface)")
  String host;

  @Option(
      names = "--store",
      paramLabel = "URI",
      description = "model store: path or URI (default ./model-store; MLPLATFORM_STORE)")
  String store;

  @Option(
      names = "--no-auth",
      description = "serve without API keys, for local use only (same as authEnabled: false)")
  boolean noAuth;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
    // On success the server's non-daemon threads keep the process alive.
  }

  @Override
  public Integer call() {
    ServingConfig config;
    try {
      config = ConfigLoader.fromProcess().load(configFile, cliOverrides());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return EXIT_CONFIG;
    }
    Service service;
    try {
      service = Service.start(config);
    } catch (StoreException e) {
      spec.commandLine()
          .getErr()
          .println("cannot open model store " + config.store() + ": " + e.getMessage());
      return EXIT_STORE;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutdown(service, config), "serving-shutdown"));
    ModelRegistry registry = service.registry();
    long serving = registry.all().stream().filter(m -> m.serving() != null).count();
    LOG.info(
        "Serving {} model(s) from {} on http://{}:{} (auth {})",
        serving,
        registry.storeUri(),
        config.host(),
        service.port(),
        config.auth().enabled() ? "on, " + config.auth().keys().size() + " key(s)" : "OFF");
    if (!registry.storeStatus().reachable()) {
      LOG.warn(
          "the store at {} cannot be read yet; /health/ready answers 503 until it can",
          registry.storeUri());
    } else if (registry.all().isEmpty()) {
      LOG.warn("the store at {} holds no models; is --store right?", registry.storeUri());
    } else if (!registry.ready()) {
      LOG.warn(
          "{} model(s) have no version that can serve; /health/ready answers 503",
          registry.all().size() - serving);
    }
    return 0;
  }

  /** Runs on SIGTERM or Ctrl-C; a watchdog ends the process if shutting down ever hangs. */
  private static void shutdown(Service service, ServingConfig config) {
    long limit = watchdogMillis(config);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit);
                LOG.error("shutdown took longer than {} ms; halting", limit);
                // halt() runs no shutdown hook: write out the access log's last lines first.
                service.flushLogs();
                Runtime.getRuntime().halt(1);
              } catch (InterruptedException e) {
                // shutdown finished first
              }
            },
            "shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    service.shutdown();
    watchdog.interrupt();
  }

  /** How long a shutdown may take before the watchdog halts the process. */
  static long watchdogMillis(ServingConfig config) {
    return config.shutdown().delay().plus(config.shutdown().grace()).toMillis()
        + ServingApp.DRAINS_AFTER_STOP_MILLIS
        + WATCHDOG_MARGIN_MS;
  }

  private Map<String, String> cliOverrides() {
    Map<String, String> cli = new HashMap<>();
    cli.put(ConfigKeys.PORT, port);
    cli.put(ConfigKeys.HOST, host);
    cli.put(ConfigKeys.STORE, store);
    cli.put(ConfigKeys.AUTH_ENABLED, noAuth ? "false" : null);
    return cli;
  }
}
