package io.mlplatform.training.export;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Makes {@code breeze.storage.Zero$DoubleZero$} (see that class) visible to MLeap 0.16's runtime,
 * which needs it to build any vector.
 *
 * <p>The shim is compiled into this job's jar, but under spark-submit MLeap and Breeze are often
 * loaded by the parent class loader (the classpath of a plain {@code java} launch, or the jars of
 * a Spark distribution) while the job jar has a child loader, so MLeap cannot see classes of the
 * job jar. The shim is then defined once in Breeze's own loader, next to {@code Zero}, from the
 * bytes compiled into the job jar. Where they share a loader (tests, {@code --jars}), nothing is
 * defined.
 */
final class BreezeCompat {

  private static final String SHIM = "breeze.storage.Zero$DoubleZero$";

  private BreezeCompat() {}

  static synchronized void ensure() {
    ClassLoader breeze = breeze.storage.Zero.class.getClassLoader();
    try {
      Class.forName(SHIM, false, breeze);
      return;
    } catch (ClassNotFoundException e) {
      // Not visible from Breeze's loader yet: define it there.
    }
    String resource = "/" + SHIM.replace('.', '/') + ".class";
    try (InputStream in = BreezeCompat.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the job jar lacks " + resource);
      }
      MethodHandles.privateLookupIn(breeze.storage.Zero.class, MethodHandles.lookup()).defineClass(in.readAllBytes());
    } catch (IOException | IllegalAccessException e) {
      throw new IllegalStateException("cannot make " + SHIM + " visible to MLeap: " + e, e);
    } catch (LinkageError e) {
      // Another thread or job defined it first; it is there either way.
    }
  }
}
