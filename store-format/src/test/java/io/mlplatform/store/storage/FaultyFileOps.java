package io.mlplatform.store.storage;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The store's real file operations, failing at the Nth step. A failing write leaves half of its
 * bytes behind, as a dying process would (on an object store nothing: a PUT that fails writes no
 * object). In {@link Mode#CRASH} every later step fails too, so no cleanup reaches the store: what
 * remains is what a killed process leaves. In {@link Mode#LOST_REPLY} the step is done and its
 * reply lost. Reads can be made to fail too, transiently or persistently ({@link #failReads}).
 */
final class FaultyFileOps extends FileOps {

  enum Mode {
    /** The process dies at the step: nothing after it reaches the file system. */
    CRASH,
    /** One step fails and the store's own error handling runs. */
    FAIL_ONCE,
    /**
     * One step is done in full but its caller gets an IOException, as when an HDFS NameNode applies
     * a rename and the reply is lost on the way back.
     */
    LOST_REPLY
  }

  /** How reads fail; they are not counted as steps. */
  enum Reads {
    /** Every read succeeds. */
    HEALTHY,
    /** The first {@link #transientReadFailures} reads fail, the rest succeed (a flaky DataNode). */
    TRANSIENT,
    /** Every read fails (a file system that is down). */
    PERSISTENT
  }

  private final FileOps real;
  private final int failAt;
  private final Mode mode;
  private final List<String> steps = new ArrayList<>();
  private boolean failed;
  private Reads reads = Reads.HEALTHY;
  private java.util.function.Predicate<String> hook;
  private Runnable hookAction;
  private int transientReadFailures;
  private int readFailures;

  /**
   * @param failAt the step to fail, from 1; {@link Integer#MAX_VALUE} to only count steps
   */
  FaultyFileOps(FileOps real, int failAt, Mode mode) {
    super(real.fs);
    this.real = real;
    this.failAt = failAt;
    this.mode = mode;
  }

  /**
   * Runs {@code action} once, just before the first step {@code when} matches: another process's
   * change falling exactly between two of the store's steps.
   */
  FaultyFileOps before(java.util.function.Predicate<String> when, Runnable action) {
    this.hook = when;
    this.hookAction = action;
    return this;
  }

  /** Every step attempted so far, e.g. "moveNoReplace .staging/x -> versions/2". */
  List<String> steps() {
    return steps;
  }

  boolean failed() {
    return failed;
  }

  /**
   * Makes reads fail from now on: every one, or the next {@code times}; each read of a file fails
   * mid-stream.
   */
  FaultyFileOps failReads(Reads how, int times) {
    this.reads = how;
    this.transientReadFailures = readFailures + times;
    return this;
  }

  /** How many reads failed so far. */
  int readFailures() {
    return readFailures;
  }

  @Override
  InputStream open(Path file) throws IOException {
    return failing(real.open(file), file);
  }

  @Override
  InputStream openSmall(Path file) throws IOException {
    return failing(real.openSmall(file), file);
  }

  /**
   * The stream fails after its first byte, the worst case for a parser: an I/O error inside the
   * content.
   */
  private InputStream failing(InputStream in, Path file) {
    boolean fail =
        reads == Reads.PERSISTENT
            || (reads == Reads.TRANSIENT && readFailures < transientReadFailures);
    if (!fail) {
      return in;
    }
    readFailures++;
    return new FilterInputStream(in) {
      private boolean first = true;

      @Override
      public int read() throws IOException {
        return first ? firstByte() : fault();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (first && len > 0) {
          int c = firstByte();
          if (c < 0) {
            return -1;
          }
          b[off] = (byte) c;
          return 1;
        }
        return fault();
      }

      private int firstByte() throws IOException {
        first = false;
        return in.read();
      }

      private int fault() throws IOException {
        throw new IOException("injected read fault in " + file);
      }
    };
  }

  @Override
  FileSystem reader() {
    return real.reader();
  }

  @Override
  void mkdirs(Path dir) throws IOException {
    boolean lost = step("mkdirs " + dir);
    real.mkdirs(dir);
    if (lost) {
      throw injected("reply of mkdirs " + dir);
    }
  }

  @Override
  OutputStream create(Path file) throws IOException {
    step("create " + file);
    OutputStream out = real.create(file);
    String closing = "write+close " + file;
    // Buffered, so that a failing close can leave a truncated file behind.
    return new ByteArrayOutputStream() {
      private boolean closed;

      @Override
      public void close() throws IOException {
        // Jackson closes the stream it wrote and try-with-resources closes it again.
        if (closed) {
          return;
        }
        closed = true;
        byte[] bytes = toByteArray();
        try (out) {
          switch (check(closing)) {
            case DEAD -> throw injected(closing);
            case FAIL -> {
              if (!real.objectStore()) {
                out.write(bytes, 0, bytes.length / 2);
              }
              throw injected(closing);
            }
            case PASS -> out.write(bytes);
            case LOST -> {
              out.write(bytes);
              out.close();
              throw injected(closing);
            }
          }
        }
      }
    };
  }

  @Override
  void copyFromLocal(java.nio.file.Path localFile, Path file) throws IOException {
    String step = "copyFromLocal " + file;
    switch (check(step)) {
      case DEAD -> throw injected(step);
      case FAIL -> {
        if (!real.objectStore()) {
          byte[] bytes = Files.readAllBytes(localFile);
          real.writeFile(file, Arrays.copyOf(bytes, bytes.length / 2));
        }
        throw injected(step);
      }
      case PASS -> real.copyFromLocal(localFile, file);
      case LOST -> {
        real.copyFromLocal(localFile, file);
        throw injected(step);
      }
    }
  }

  @Override
  void writeFile(Path file, byte[] content) throws IOException {
    String step = "writeFile " + file;
    switch (check(step)) {
      case DEAD -> throw injected(step);
      case FAIL -> {
        if (!real.objectStore()) {
          real.writeFile(file, Arrays.copyOf(content, content.length / 2));
        }
        throw injected(step);
      }
      case PASS -> real.writeFile(file, content);
      case LOST -> {
        real.writeFile(file, content);
        throw injected(step);
      }
    }
  }

  @Override
  void createNew(Path file, byte[] content) throws IOException {
    String step = "createNew " + file;
    switch (check(step)) {
      case DEAD -> throw injected(step);
      case FAIL -> {
        // An object store's PUT is all or nothing; elsewhere a dying writer leaves half a file.
        if (!real.objectStore()) {
          real.createNew(file, Arrays.copyOf(content, content.length / 2));
        }
        throw injected(step);
      }
      case PASS -> real.createNew(file, content);
      case LOST -> {
        real.createNew(file, content);
        throw injected(step);
      }
    }
  }

  @Override
  void copy(Path src, Path dst) throws IOException {
    boolean lost = step("copy " + src + " -> " + dst);
    real.copy(src, dst);
    if (lost) {
      throw injected("reply of copy " + src + " -> " + dst);
    }
  }

  @Override
  boolean objectStore() {
    return real.objectStore();
  }

  @Override
  void delete(Path path) throws IOException {
    boolean lost = step("delete " + path);
    real.delete(path);
    if (lost) {
      throw injected("reply of delete " + path);
    }
  }

  @Override
  void moveNoReplace(Path src, Path dst) throws IOException {
    boolean lost = step("moveNoReplace " + src + " -> " + dst);
    real.moveNoReplace(src, dst);
    if (lost) {
      throw injected("reply of moveNoReplace " + src + " -> " + dst);
    }
  }

  @Override
  void replace(Path src, Path dst) throws IOException {
    boolean lost = step("replace " + src + " -> " + dst);
    real.replace(src, dst);
    if (lost) {
      throw injected("reply of replace " + src + " -> " + dst);
    }
  }

  private enum Outcome {
    PASS,
    /** This step is done in full, then reports a failure. */
    LOST,
    /** This step fails: a write leaves half its bytes. */
    FAIL,
    /** The process died earlier: nothing reaches the file system. */
    DEAD
  }

  /** Whether the step is to be done and then reported as failed. */
  private boolean step(String step) throws IOException {
    Outcome outcome = check(step);
    if (outcome == Outcome.FAIL || outcome == Outcome.DEAD) {
      throw injected(step);
    }
    return outcome == Outcome.LOST;
  }

  private Outcome check(String step) {
    if (hook != null && hook.test(step)) {
      Runnable action = hookAction;
      hook = null;
      action.run();
    }
    steps.add(step);
    if (failed && mode == Mode.CRASH) {
      return Outcome.DEAD;
    }
    if (steps.size() == failAt) {
      failed = true;
      return mode == Mode.LOST_REPLY ? Outcome.LOST : Outcome.FAIL;
    }
    return Outcome.PASS;
  }

  private IOException injected(String step) {
    return new IOException("injected fault at step " + steps.size() + " (" + step + ")");
  }
}
