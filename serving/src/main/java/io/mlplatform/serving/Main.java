package io.mlplatform.serving;

import io.javalin.Javalin;
import io.mlplatform.serving.config.ConfigException;
import io.mlplatform.serving.config.ConfigKeys;
import io.mlplatform.serving.config.ConfigLoader;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.ServingApp;
import io.mlplatform.serving.model.MleapModelLoader;
import io.mlplatform.serving.model.ModelRegistry;
import io.mlplatform.store.ModelStore;
import io.mlplatform.store.StoreException;
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
    description = "Serves the latest version of every model in a model store over REST.",
    footer = {"", "Precedence: flags > environment (PORT, HOST, MODEL_STORE) > config file > defaults."})
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final int EXIT_CONFIG = 2;
  static final int EXIT_STORE = 3;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config file (default: conf/serving.yaml when it exists)")
  Path configFile;

  // Strings, not ints: the config loader validates them with everything else and reports together.
  @Option(names = "--port", description = "TCP port (default 8080; 0 picks a free one)")
  String port;

  @Option(names = "--host", description = "bind address (default 127.0.0.1)")
  String host;

  @Option(names = "--store", paramLabel = "URI", description = "model store: path or URI (default ./model-store)")
  String store;

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
    ModelRegistry registry;
    try {
      registry = new ModelRegistry(ModelStore.open(config.storeUri()), new MleapModelLoader());
      registry.loadAll();
    } catch (StoreException e) {
      spec.commandLine().getErr().println("cannot read model store " + config.storeUri() + ": " + e.getMessage());
      return EXIT_STORE;
    }
    Javalin app = ServingApp.create(config, registry).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.stop();
      registry.close();
    }, "serving-shutdown"));
    long loaded = registry.all().stream().filter(m -> m.loadedModel().isPresent()).count();
    LOG.info("Serving {} model(s) from {} on http://{}:{}", loaded, registry.storeUri(), config.host(), app.port());
    if (registry.all().isEmpty()) {
      LOG.warn("the store at {} holds no models; is --store right?", registry.storeUri());
    } else if (!registry.ready()) {
      LOG.warn("{} model(s) failed to load; /health/ready answers 503", registry.all().size() - loaded);
    }
    return 0;
  }

  private Map<String, String> cliOverrides() {
    Map<String, String> cli = new HashMap<>();
    cli.put(ConfigKeys.PORT, port);
    cli.put(ConfigKeys.HOST, host);
    cli.put(ConfigKeys.STORE_URI, store);
    return cli;
  }
}
