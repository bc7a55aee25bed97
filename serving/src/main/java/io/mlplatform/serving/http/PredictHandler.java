package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.model.LoadedModel;
import io.mlplatform.serving.model.ModelEntry;
import io.mlplatform.serving.model.ModelRegistry;
import io.mlplatform.serving.model.Score;
import io.mlplatform.serving.validation.RequestValidator;
import java.util.List;

/** {@code POST /v1/models/{name}:predict}: validate every instance, then score them in one call. */
final class PredictHandler {

  private final ModelRegistry registry;
  private final JsonBodies bodies;
  private final RequestValidator validator;

  PredictHandler(ModelRegistry registry, JsonBodies bodies, RequestValidator validator) {
    this.registry = registry;
    this.bodies = bodies;
    this.validator = validator;
  }

  void handle(Context ctx) {
    LoadedModel model = loaded(registry, ctx.pathParam("name"));
    JsonNode body = bodies.read(ctx);
    List<Object[]> rows = validator.validate(body, model.inputs());
    List<Score> scores = model.scorer().score(rows);
    ctx.json(PredictResponse.of(model.manifest(), scores));
  }

  private static LoadedModel loaded(ModelRegistry registry, String name) {
    ModelEntry entry = ModelLookup.entry(registry, name);
    return entry.loadedModel().orElseThrow(() -> new ApiException(ErrorKind.MODEL_UNAVAILABLE,
        "model '" + name + "' v" + entry.version() + " failed to load; GET /v1/models/" + name + " says why"));
  }
}
