package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.Selector;
import java.util.regex.Pattern;

/** Reads model names, versions and aliases from paths; names that cannot exist are never echoed. */
final class PathParams {

  // Names the store could hold; any other name is not repeated back in the error.
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern VERSION = Pattern.compile("[vV]?([1-9][0-9]{0,8})");
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  private PathParams() {}

  /** The model the path names, or 404 the same way for every endpoint. */
  static ModelEntry entry(ModelRegistry registry, Context ctx) {
    String name = ctx.pathParam("name");
    return registry
        .find(name)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorKind.MODEL_NOT_FOUND,
                    MODEL_NAME.matcher(name).matches()
                        ? "model '" + name + "' not found"
                        : "model not found"));
  }

  /** {@code 3} or {@code v3}. */
  static Selector.Version version(Context ctx) {
    var m = VERSION.matcher(ctx.pathParam("version"));
    if (!m.matches()) {
      throw new ApiException(ErrorKind.VERSION_NOT_FOUND, "a version is a number such as 3 or v3");
    }
    return new Selector.Version(Integer.parseInt(m.group(1)));
  }

  /** An alias name to write: a name the store accepts, else 400 naming the field. */
  static String aliasName(Context ctx) {
    String alias = ctx.pathParam("alias");
    if (!ALIAS.matcher(alias).matches() || alias.matches("[vV][0-9]+")) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "an alias name is 1-64 letters, digits, '_' or '-', starting with a letter, and not"
              + " v<number> (which names a version)",
          java.util.List.of(
              new io.mlplatform.serving.validation.Violation(
                  null, "alias", "is not a valid alias name")));
    }
    return alias;
  }

  static Selector.Alias alias(Context ctx) {
    String alias = ctx.pathParam("alias");
    if (!ALIAS.matcher(alias).matches()) {
      throw new ApiException(ErrorKind.ALIAS_NOT_FOUND, "no such alias");
    }
    return new Selector.Alias(alias);
  }
}
