package io.mlplatform.serving.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorTest {

  private static final String APP = "app-0123456789abcdef";
  private static final String OPS = "ops-0123456789abcdef";
  private final Authenticator auth =
      new Authenticator(
          true,
          List.of(
              new ApiKey("app", Set.of(Scope.PREDICT), APP),
              new ApiKey("ops", Set.of(Scope.ADMIN), OPS)));

  @Test
  void aConfiguredKeyIsItsPrincipal() {
    Principal app = auth.authenticate("Bearer " + APP).orElseThrow();
    Principal ops = auth.authenticate("bearer  " + OPS + " ").orElseThrow();

    assertThat(app.name()).isEqualTo("app");
    assertThat(app.may(Scope.PREDICT)).isTrue();
    assertThat(app.may(Scope.ADMIN)).isFalse();
    assertThat(app.may(Scope.METRICS)).isFalse();
    assertThat(ops.name()).isEqualTo("ops");
    assertThat(ops.may(Scope.PREDICT)).isTrue();
    assertThat(ops.may(Scope.METRICS)).isTrue();
    assertThat(ops.may(Scope.ADMIN)).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        "Basic " + APP,
        APP,
        "Bearer " + APP + "x",
        "Bearer app-0123456789abcdeF",
        "Bearer " + APP + APP,
        "Bearer\t" + APP
      })
  void anythingElseIsNobody(String header) {
    assertThat(auth.authenticate(header)).isEmpty();
  }

  @Test
  void withAuthOffEveryoneIsAnAnonymousAdmin() {
    Authenticator off = new Authenticator(false, List.of());

    assertThat(off.authenticate(null).orElseThrow().may(Scope.ADMIN)).isTrue();
    assertThat(off.authenticate(null).orElseThrow().name()).isEqualTo("anonymous");
  }
}
