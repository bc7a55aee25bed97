package io.mlplatform.serving.lifecycle;

import io.mlplatform.serving.scoring.ModelLoadException;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for MLeap: records what it loads and closes, refuses the versions it is told to, and
 * scores every row as class 0. Versions named in {@link #failing} ("name vN") throw on every score.
 */
public final class FakeLoader implements ScoringModelLoader {

  public final List<String> loads = new CopyOnWriteArrayList<>();
  public final List<Path> bundles = new CopyOnWriteArrayList<>();
  public final Set<String> refuse = ConcurrentHashMap.newKeySet();
  public final Set<String> failing = ConcurrentHashMap.newKeySet();
  public final List<String> closed = new CopyOnWriteArrayList<>();
  public final AtomicInteger scored = new AtomicInteger();

  @Override
  public ScoringModel load(Manifest manifest, Path bundleZip) {
    String id = manifest.model() + " v" + manifest.version();
    if (!Files.exists(bundleZip) || !bundleZip.toString().endsWith(".zip")) {
      throw new IllegalStateException("no bundle zip: " + bundleZip);
    }
    loads.add(id);
    bundles.add(bundleZip);
    if (refuse.contains(id)) {
      throw new ModelLoadException("bundle does not fit its manifest: test");
    }
    return new ScoringModel() {
      @Override
      public List<Score> score(List<Object[]> rows) {
        scored.incrementAndGet();
        if (failing.contains(id)) {
          throw new IllegalStateException("model " + id + " is broken");
        }
        return rows.stream().map(r -> new Score(0, new double[] {1, 0, 0})).toList();
      }

      @Override
      public void close() {
        closed.add(id);
      }
    };
  }
}
