package io.mlplatform.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The store's real file operations, failing at the Nth step. A failing write leaves half of its bytes
 * behind, as a dying process would (on an object store nothing: a PUT that fails writes no object). In {@link Mode#CRASH} every later step fails too, so no cleanup
 * reaches the store: what remains is what a killed process leaves.
 */
final class FaultyFileOps extends FileOps {

  enum Mode {
    /** The process dies at the step: nothing after it reaches the file system. */
    CRASH,
    /** One step fails and the store's own error handling runs. */
    FAIL_ONCE
  }

  private final FileOps real;
  private final int failAt;
  private final Mode mode;
  private final List<String> steps = new ArrayList<>();
  private boolean failed;

  /** @param failAt the step to fail, from 1; {@link Integer#MAX_VALUE} to only count steps */
  FaultyFileOps(FileOps real, int failAt, Mode mode) {
    super(real.fs);
    this.real = real;
    this.failAt = failAt;
    this.mode = mode;
  }

  /** Every step attempted so far, e.g. "moveNoReplace .staging/x -> versions/2". */
  List<String> steps() {
    return steps;
  }

  boolean failed() {
    return failed;
  }

  @Override
  FileSystem reader() {
    return real.reader();
  }

  @Override
  void mkdirs(Path dir) throws IOException {
    step("mkdirs " + dir);
    real.mkdirs(dir);
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
    }
  }

  @Override
  void copy(Path src, Path dst) throws IOException {
    step("copy " + src + " -> " + dst);
    real.copy(src, dst);
  }

  @Override
  boolean objectStore() {
    return real.objectStore();
  }

  @Override
  void delete(Path path) throws IOException {
    step("delete " + path);
    real.delete(path);
  }

  @Override
  void moveNoReplace(Path src, Path dst) throws IOException {
    step("moveNoReplace " + src + " -> " + dst);
    real.moveNoReplace(src, dst);
  }

  @Override
  void replace(Path src, Path dst) throws IOException {
    step("replace " + src + " -> " + dst);
    real.replace(src, dst);
  }

  private enum Outcome {
    PASS,
    /** This step fails: a write leaves half its bytes. */
    FAIL,
    /** The process died earlier: nothing reaches the file system. */
    DEAD
  }

  private void step(String step) throws IOException {
    if (check(step) != Outcome.PASS) {
      throw injected(step);
    }
  }

  private Outcome check(String step) {
    steps.add(step);
    if (failed && mode == Mode.CRASH) {
      return Outcome.DEAD;
    }
    if (steps.size() == failAt) {
      failed = true;
      return Outcome.FAIL;
    }
    return Outcome.PASS;
  }

  private IOException injected(String step) {
    return new IOException("injected fault at step " + steps.size() + " (" + step + ")");
  }
}
