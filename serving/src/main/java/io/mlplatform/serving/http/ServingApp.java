package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.config.UnknownFields;
import io.mlplatform.serving.model.ModelRegistry;
import io.mlplatform.serving.validation.RequestValidator;

/** Builds the HTTP application; starting and stopping it is the caller's business. */
public final class ServingApp {

  /** The predict route: Javalin matches a parameter followed by a literal within one segment. */
  static final String PREDICT_PATH = "/v1/models/{name}:predict";

  private ServingApp() {}

  /** Returns an unstarted app bound to {@code config.host()} and {@code config.port()}. */
  public static Javalin create(ServingConfig config, ModelRegistry registry) {
    ObjectMapper mapper = Json.newMapper();
    PredictHandler predict = new PredictHandler(
        registry,
        new JsonBodies(mapper, config.maxBodyBytes()),
        new RequestValidator(config.maxInstancesPerRequest(), config.unknownFields() == UnknownFields.REJECT));
    ModelsHandler models = new ModelsHandler(registry);
    HealthHandler health = new HealthHandler(registry);
    ErrorResponder errors = new ErrorResponder(mapper);
    return Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.host = config.host();
      cfg.jetty.port = config.port();
      // JsonBodies enforces the limit with a JSON 413; this keeps Javalin's own reads bounded too.
      cfg.http.maxRequestSize = config.maxBodyBytes();
      cfg.jsonMapper(new JavalinJackson(mapper, false));
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors(mapper)));
      cfg.routes.before(RequestIds::assign);
      cfg.routes.get("/health/live", health::live);
      cfg.routes.get("/health/ready", health::ready);
      cfg.routes.get("/v1/models", models::list);
      cfg.routes.get("/v1/models/{name}", models::detail);
      cfg.routes.post(PREDICT_PATH, predict::handle);
      errors.register(cfg);
    });
  }
}
