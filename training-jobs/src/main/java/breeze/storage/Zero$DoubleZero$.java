package breeze.storage;

/**
 * Breeze 1's implicit zero of doubles, which Breeze 2 (Spark 3.5's) replaced by a value. MLeap
 * 0.16's runtime, used on the training side only to check a bundle before it is published
 * ({@code io.mlplatform.training.export.ExportCheck}), was compiled against Breeze 1 and loads this
 * object whenever it builds a vector; without it every check fails with NoClassDefFoundError.
 * Breeze 2 has no class of this name, so nothing is shadowed. {@code BreezeCompat} makes it visible
 * to MLeap when the job jar has a class loader of its own.
 */
public final class Zero$DoubleZero$ extends Zero$mcD$sp {

  public static final Zero$DoubleZero$ MODULE$ = new Zero$DoubleZero$();

  private Zero$DoubleZero$() {
    super(0.0);
  }
}
