package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.auth.Authenticator;
import io.mlplatform.serving.auth.Principal;
import io.mlplatform.serving.auth.Scope;

/** Answers 401 to callers without a valid key and 403 to keys without the route's scope. */
final class AccessControl {

  private final Authenticator authenticator;

  AccessControl(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  void require(Context ctx, Scope scope) {
    Principal principal = authenticator.authenticate(ctx.header("Authorization")).orElseThrow(() ->
        new ApiException(ErrorKind.UNAUTHORIZED, "a valid API key is required: send Authorization: Bearer <key>"));
    AccessLog.principal(ctx, principal.name());
    if (!principal.may(scope)) {
      throw new ApiException(ErrorKind.FORBIDDEN,
          "the key '" + principal.name() + "' lacks the '" + scope.id() + "' scope this endpoint requires");
    }
  }
}
