package io.mlplatform.serving.http;

import io.javalin.http.Context;
import io.mlplatform.serving.auth.Authenticator;
import io.mlplatform.serving.auth.Principal;
import io.mlplatform.serving.auth.Scope;

/** Answers 401 to callers without a valid key and 403 to keys without the route's scope. */
final class AccessControl {

  private static final String PRINCIPAL = "mlp.principal";
  private final Authenticator authenticator;

  AccessControl(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * Whether the caller authenticated on this request has the admin scope (then views show
   * internals).
   */
  static boolean admin(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    return principal != null && principal.may(Scope.ADMIN);
  }

  /**
   * The name of the key that authenticated this request ({@code anonymous} with auth off): who the
   * store records as having made an admin change, and whose request ids scope feedback.
   */
  static String caller(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    return principal == null ? Principal.ANONYMOUS_ADMIN.name() : principal.name();
  }

  void require(Context ctx, Scope scope) {
    Principal principal =
        authenticator
            .authenticate(ctx.header("Authorization"))
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorKind.UNAUTHORIZED,
                        "a valid API key is required: send Authorization: Bearer <key>"));
    AccessLog.principal(ctx, principal.name());
    ctx.attribute(PRINCIPAL, principal);
    if (!principal.may(scope)) {
      throw new ApiException(
          ErrorKind.FORBIDDEN,
          "the key '"
              + principal.name()
              + "' lacks the '"
              + scope.id()
              + "' scope this endpoint requires");
    }
  }
}
