package io.mlplatform.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request whose body arrives in two parts, on a raw socket: the server is handling it (it read
 * the headers and waits for the rest of the body) until {@link #finish()} sends the second part.
 */
public final class SlowRequest implements AutoCloseable {

  private final Socket socket;
  private final byte[] body;
  private final int half;

  private SlowRequest(Socket socket, byte[] body) {
    this.socket = socket;
    this.body = body;
    this.half = body.length / 2;
  }

  /**
   * Sends the headers and the first half of a JSON body. {@code headers} are complete "Name: value"
   * lines.
   */
  public static SlowRequest start(int port, String path, String json, String... headers) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head =
          new StringBuilder(
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + body.length
                  + "\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      SlowRequest request = new SlowRequest(socket, body);
      out.write(body, 0, request.half);
      out.flush();
      return request;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the rest of the body and returns the whole raw response. */
  public String finish() {
    return finishOver(Duration.ZERO);
  }

  /**
   * Sends the rest of the body spread over {@code duration}, a few bytes at a time (a slow client,
   * never idle for long), and returns the whole raw response.
   */
  public String finishOver(Duration duration) {
    try {
      OutputStream out = socket.getOutputStream();
      int rest = body.length - half;
      int steps = duration.isZero() ? 1 : (int) Math.max(1, duration.toMillis() / 100);
      for (int i = 0; i < steps; i++) {
        int from = half + (int) ((long) rest * i / steps);
        int to = half + (int) ((long) rest * (i + 1) / steps);
        out.write(body, from, to - from);
        out.flush();
        if (steps > 1) {
          Thread.sleep(100);
        }
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      return response.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      close();
    }
  }

  /** The status code of a raw response. */
  public static int status(String rawResponse) {
    return rawResponse.startsWith("HTTP/1.1 ")
        ? Integer.parseInt(rawResponse.substring(9, 12))
        : -1;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket
    }
  }
}
