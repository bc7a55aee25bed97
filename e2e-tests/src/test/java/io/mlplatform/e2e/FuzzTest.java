package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import io.mlplatform.serving.config.AuthSection;
import io.mlplatform.serving.config.LimitsSection;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of malformed requests against the real service with the real trained bundles, auth on:
 * random bytes, random and deeply nested JSON, wrong types, huge numbers, broken envelopes, wrong
 * media types, bad paths and methods, missing or wrong keys, and raw HTTP that is not HTTP. None
 * may get a 5xx, and the service must be healthy afterwards. The seed is fixed and printed with
 * every failure, so a failure can be replayed.
 */
class FuzzTest {

  private static final long SEED = 20261123L;
  private static final int REQUESTS = 1500;
  private static final String KEY = "fuzz-key-0123456789abcdef";
  private static final String[] AUTH = {"Authorization", "Bearer " + KEY};
  @TempDir Path dir;

  @Test
  void malformedRequestsNeverGetA5xx() throws Exception {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    StoreCopies.copy(trained, "penguins", store, "penguins", dir);
    StoreCopies.copy(trained, "mass-linreg", store, "mass", dir);
    Manifest manifest =
        trained.manifest("penguins", trained.latestVersion("penguins").orElseThrow());
    Map<String, Object> valid =
        trained.referenceRows("penguins", manifest.version()).get(0).input();
    Service service =
        StoreCopies.serve(
            store,
            new MleapModelLoader(BundleArchive.withDefaultLimits()),
            c ->
                c.withAuth(
                        new AuthSection(
                            true, List.of(new ApiKey("fuzz", Set.of(Scope.ADMIN), KEY))))
                    .withLimits(new LimitsSection(50, 20_000, c.limits().requestTimeout(), 64, 0)));
    ServiceClient client = new ServiceClient(service.port());
    Random random = new Random(SEED);
    Generator generate = new Generator(random, manifest, valid);
    List<String> serverErrors = new ArrayList<>();
    int[] byStatusClass = new int[6];
    try {
      for (int i = 0; i < REQUESTS; i++) {
        int status;
        String what;
        if (i % 50 == 49) {
          what = "raw #" + i;
          status = raw(service.port(), generate.rawRequest());
        } else {
          HttpRequest request = generate.request(client, i);
          what = request.method() + " " + request.uri().getRawPath() + " #" + i;
          Reply reply = client.send(request);
          status = reply.status();
          if (status >= 400 && status != 405) {
            assertThat(reply.json()).as(what + " " + reply.body()).isNotNull();
            assertThat(reply.json().get("requestId").asText()).as(what).isNotBlank();
            assertThat(reply.body())
                .as(what)
                .doesNotContain("\tat ", "Exception", "ml.combust", "scala.");
          }
          what += " -> " + reply.body();
        }
        if (status >= 500) {
          serverErrors.add(what + " -> " + status);
        }
        byStatusClass[Math.max(0, Math.min(5, status / 100))]++;
      }

      System.out.printf(
          "fuzz: %d requests, 2xx %d, 4xx %d, 5xx %d, no status (connection closed) %d%n",
          REQUESTS, byStatusClass[2], byStatusClass[4], byStatusClass[5], byStatusClass[0]);
      assertThat(serverErrors).as("seed %d", SEED).isEmpty();
      assertThat(byStatusClass[4]).as("most requests are refused").isGreaterThan(REQUESTS / 2);
      assertThat(byStatusClass[2]).as("a few random ones are valid").isPositive();
      assertThat(client.get("/health/live").status()).isEqualTo(200);
      assertThat(client.get("/health/ready").status()).isEqualTo(200);
      Reply ok =
          client.postJson(
              "/v1/models/penguins:predict",
              ServingServer.JSON.writeValueAsString(Map.of("instances", List.of(valid))),
              AUTH);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(client.get("/metrics", AUTH).body()).doesNotContain("status=\"500\"");
    } finally {
      service.shutdown();
    }
  }

  /**
   * Sends bytes that may not even be HTTP; returns the status, or 0 when the server just closed.
   */
  private static int raw(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n > 0 && response.size() < 64; n = in.read(buffer)) {
        response.write(buffer, 0, n);
      }
      String head = response.toString(StandardCharsets.ISO_8859_1);
      return head.startsWith("HTTP/1.") && head.length() >= 12
          ? Integer.parseInt(head.substring(9, 12))
          : 0;
    } catch (java.net.SocketException e) {
      return 0; // connection reset: refused at the protocol level, no 5xx
    }
  }

  /** Random bad requests; each kind is picked with the same probability. */
  private static final class Generator {
    private final Random random;
    private final Manifest manifest;
    private final Map<String, Object> valid;

    Generator(Random random, Manifest manifest, Map<String, Object> valid) {
      this.random = random;
      this.manifest = manifest;
      this.valid = valid;
    }

    HttpRequest request(ServiceClient client, int i) throws IOException {
      String path = "/v1/models/penguins:predict";
      String contentType = "application/json";
      String[] auth = AUTH;
      String method = "POST";
      byte[] body;
      switch (i % 12) {
        case 0 -> body = randomBytes(random.nextInt(2000));
        case 1 -> body = utf8(randomJson(0));
        case 2 -> body = utf8(deep(1 + random.nextInt(3000)));
        case 3 -> body = envelope(List.of(mutated()));
        case 4 -> body = envelope(List.of(mutated(), mutated(), valid, mutated()));
        case 5 -> body = utf8("{\"instances\": " + randomJson(0) + "}");
        case 6 -> {
          body = envelope(List.of(valid));
          contentType =
              pick(
                  "text/plain",
                  "application/xml",
                  "",
                  "application/json; charset=latin1",
                  "multipart/form-data; boundary=x",
                  "application/json-patch+json");
        }
        case 7 -> {
          body = envelope(List.of(valid));
          auth =
              pick(
                  new String[] {"Authorization", "Bearer wrong-key-0123456789abcdef"},
                  new String[] {"Authorization", "Basic Zm9vOmJhcg=="},
                  new String[] {"Authorization", "Bearer"},
                  new String[] {"Authorization", "Bearer " + KEY.substring(1)},
                  new String[] {"Authorization", "bearer " + "x".repeat(5000)},
                  new String[0]);
        }
        case 8 -> {
          body = envelope(List.of(valid));
          path =
              pick(
                  "/v1/models/" + randomName() + ":predict",
                  "/v1/models/penguins/versions/" + randomName() + ":predict",
                  "/v1/models/penguins/aliases/" + randomName() + ":predict",
                  "/v1/models/penguins/versions/999999999:predict",
                  "/v1/models/penguins:explain",
                  "/v1/models/%2e%2e%2f%2e%2e:predict",
                  "/v1/models/" + "a".repeat(3000) + ":predict",
                  "/v1/admin/models/penguins/pin",
                  "/v1/models/penguins/versions/0:predict");
        }
        case 9 -> {
          body = envelope(List.of(valid));
          method = pick("GET", "PUT", "DELETE", "PATCH", "OPTIONS");
        }
        case 10 ->
            body =
                utf8(
                    "{\"instances\": ["
                        + (valid.isEmpty() ? "" : instanceJson())
                        + ",".repeat(60)
                        + "]}");
        default -> body = oversized();
      }
      HttpRequest.Builder builder = client.request(path);
      if (!contentType.isEmpty()) {
        builder.header("Content-Type", contentType);
      }
      if (auth.length == 2) {
        builder.header(auth[0], auth[1]);
      }
      return builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    byte[] rawRequest() {
      return utf8(
          pick(
              "GARBAGE\r\n\r\n",
              "POST /v1/models/penguins:predict HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
              "POST /v1/models/penguins:predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
              "GET /" + "%".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n",
              "POST /v1/models/penguins:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n",
              "GET /health/live HTTP/9.9\r\n\r\n",
              "GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
    }

    /** A valid instance with one field broken in one way. */
    private Map<String, Object> mutated() {
      Map<String, Object> instance = new LinkedHashMap<>(valid);
      InputField field = manifest.inputs().get(random.nextInt(manifest.inputs().size()));
      switch (random.nextInt(9)) {
        case 0 -> instance.remove(field.name());
        case 1 -> instance.put(field.name(), "not a number " + random.nextInt());
        case 2 -> instance.put(field.name(), random.nextBoolean());
        case 3 -> instance.put(field.name(), List.of(1, 2, 3));
        case 4 -> instance.put(field.name(), Map.of("nested", Map.of("deeper", 1)));
        case 5 ->
            instance.put(
                field.name(), new java.math.BigDecimal("1e" + (300 + random.nextInt(100000))));
        case 6 -> instance.put(field.name(), new java.math.BigInteger("9".repeat(400)));
        case 7 -> instance.put(randomName(), randomName());
        default -> instance.put(field.name(), null);
      }
      return instance;
    }

    private String instanceJson() {
      try {
        return ServingServer.JSON.writeValueAsString(valid);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private byte[] envelope(List<Map<String, Object>> instances) throws IOException {
      return ServingServer.JSON.writeValueAsBytes(Map.of("instances", instances));
    }

    private byte[] oversized() throws IOException {
      List<Map<String, Object>> many = new ArrayList<>();
      for (int n = 0; n < 51 + random.nextInt(300); n++) {
        many.add(valid);
      }
      return envelope(many);
    }

    private String randomJson(int depth) {
      int kind = depth > 6 ? random.nextInt(5) : random.nextInt(8);
      return switch (kind) {
        case 0 -> "null";
        case 1 -> Boolean.toString(random.nextBoolean());
        case 2 ->
            pick(
                "1e999999",
                "-0",
                "NaN",
                "Infinity",
                "0x1F",
                "01",
                "1.",
                ".5",
                "-",
                "1e-99999",
                "123456789012345678901234567890");
        case 3 ->
            "\"" + pick("", "\\u0000", "\\ud800", "caf\u00e9", "\\\"", "x".repeat(1000)) + "\"";
        case 4 -> Double.toString(random.nextGaussian() * 1e10);
        case 5 -> {
          StringBuilder array = new StringBuilder("[");
          for (int n = random.nextInt(4); n > 0; n--) {
            array.append(randomJson(depth + 1)).append(n > 1 ? "," : "");
          }
          yield array.append(random.nextInt(20) == 0 ? "" : "]").toString();
        }
        case 6 -> "{\"" + randomName() + "\": " + randomJson(depth + 1) + ", \"a\": 1, \"a\": 2}";
        default ->
            "{\"instances\": ["
                + randomJson(depth + 1)
                + "]"
                + (random.nextBoolean() ? "}" : "} trailing");
      };
    }

    private static String deep(int depth) {
      return "{\"instances\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private String randomName() {
      String alphabet = "abcXYZ019_-.:/%?#~ \u00e9\u4e2d";
      StringBuilder name = new StringBuilder();
      for (int n = 1 + random.nextInt(12); n > 0; n--) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return java.net.URLEncoder.encode(name.toString(), StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int n) {
      byte[] bytes = new byte[n];
      random.nextBytes(bytes);
      return bytes;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[random.nextInt(options.length)];
    }

    private static byte[] utf8(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }
}
