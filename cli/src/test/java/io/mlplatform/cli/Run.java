package io.mlplatform.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the whole command tree in this JVM: exit code and what it printed. */
record Run(int code, String out, String err) {

  static Run of(String... args) {
    return with(Map.of(), args);
  }

  static Run with(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Mlplatform.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }
}
