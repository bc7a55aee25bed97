package io.mlplatform.training;

import java.io.PrintStream;
import java.util.Locale;

/** Console progress of a long job: what it is doing and how long it has been going. */
public final class Progress {

  private final String job;
  private final PrintStream out;
  private final long start = System.nanoTime();

  public Progress(String job, PrintStream out) {
    this.job = job;
    this.out = out;
  }

  public void step(String message) {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "[%s %6.1fs] %s%n", job, seconds, message);
    out.flush();
  }
}
