package io.mlplatform.serving.http;

import io.mlplatform.serving.model.ModelEntry;
import io.mlplatform.serving.model.ModelRegistry;
import java.util.regex.Pattern;

/** Finds the model a path names, or answers 404 the same way for every endpoint. */
final class ModelLookup {

  // Names the store could hold; any other name is not repeated back in the error.
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private ModelLookup() {}

  static ModelEntry entry(ModelRegistry registry, String name) {
    return registry.find(name).orElseThrow(() -> new ApiException(ErrorKind.MODEL_NOT_FOUND,
        MODEL_NAME.matcher(name).matches() ? "model '" + name + "' not found" : "model not found"));
  }
}
