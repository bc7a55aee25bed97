package io.mlplatform.serving.lifecycle;

import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.store.format.Manifest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A version ready to answer predict requests, shared by the registry and in-flight requests.
 *
 * <p>It is reference counted: the registry holds one reference while the version is part of its
 * snapshot, and every request holds one while it uses the model. When a swap drops the version the
 * registry {@link #retire()}s it; requests still running finish on it, and the last one out closes
 * the scorer. A request that comes too late ({@link #tryAcquire()} fails) reads the new snapshot.
 */
public final class LoadedModel {

  private final Manifest manifest;
  private final InputSchema inputs;
  private final ScoringModel scorer;
  private final List<Double> referencePredictions;
  private final ErrorWindow errors;
  private final Consumer<LoadedModel> onReleased;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  /**
   * @param referencePredictions what training predicted on the reference rows (empty when unknown);
   *     metrics size their histogram buckets from them
   * @param errors this version's recent request outcomes, for automatic fallback
   * @param onReleased called once, after the scorer is closed
   */
  public LoadedModel(
      Manifest manifest,
      InputSchema inputs,
      ScoringModel scorer,
      List<Double> referencePredictions,
      ErrorWindow errors,
      Consumer<LoadedModel> onReleased) {
    this.manifest = manifest;
    this.inputs = inputs;
    this.scorer = scorer;
    this.referencePredictions = List.copyOf(referencePredictions);
    this.errors = errors;
    this.onReleased = onReleased;
  }

  public Manifest manifest() {
    return manifest;
  }

  public InputSchema inputs() {
    return inputs;
  }

  public ScoringModel scorer() {
    return scorer;
  }

  public String name() {
    return manifest.model();
  }

  public int version() {
    return manifest.version();
  }

  public List<Double> referencePredictions() {
    return referencePredictions;
  }

  public ErrorWindow errors() {
    return errors;
  }

  /** Takes a reference; false once the model is released (then look it up again). */
  boolean tryAcquire() {
    for (int n = references.get(); n > 0; n = references.get()) {
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives a reference back; the last one closes the scorer. */
  void release() {
    if (references.decrementAndGet() == 0) {
      scorer.close();
      onReleased.accept(this);
    }
  }

  /** Drops the registry's reference, once, however often a swap reports the model as dropped. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  /** True once nothing references the model any more and its scorer is closed. */
  public boolean released() {
    return references.get() == 0;
  }

  @Override
  public String toString() {
    return name() + " v" + version();
  }
}
