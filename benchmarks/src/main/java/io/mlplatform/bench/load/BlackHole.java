package io.mlplatform.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that accepts connections and never answers: a hung server (a NameNode stuck in a
 * long pause, a half-open network path), which a client waits on instead of failing fast. {@code
 * BlackHole PORT} runs until it is killed.
 */
public final class BlackHole {

  private BlackHole() {}

  public static void main(String[] args) throws IOException {
    List<Socket> held = new ArrayList<>(); // kept open, never read: the peer waits for an answer
    try (ServerSocket server =
        new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
      while (true) {
        held.add(server.accept());
      }
    }
  }
}
