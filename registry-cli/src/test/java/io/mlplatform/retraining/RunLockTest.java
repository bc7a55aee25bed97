package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run lock against rivals: who may take it over and who may remove it (issue 16 item 10). */
class RunLockTest {

  @TempDir Path dir;

  @Test
  void closeLeavesALockThatAnotherRunHoldsNow() throws Exception {
    Path file = dir.resolve("lock");
    Optional<RunLock> mine = RunLock.tryAcquire(file, "retrain-mine", new String[1]);
    assertThat(mine).isPresent();
    // Another run now holds it (say an operator removed a lock they thought stuck and a run took
    // it).
    Process other = new ProcessBuilder("sleep", "30").start();
    try {
      String theirs = other.pid() + " retrain-theirs " + RunLock.host();
      Files.writeString(file, theirs);

      mine.get().close();

      assertThat(file).as("someone else's lock").exists().hasContent(theirs);
    } finally {
      other.destroyForcibly().waitFor();
    }
  }

  @Test
  void aLockHeldOnAnotherHostIsNeverTakenOver() throws Exception {
    Path file = dir.resolve("lock");
    // That pid is dead here, which says nothing about the other host, where it may be running.
    Files.writeString(file, "999999999 retrain-elsewhere other-host.invalid");
    String[] busy = new String[1];

    assertThat(RunLock.tryAcquire(file, "retrain-mine", busy)).isEmpty();
    assertThat(busy[0]).contains("other-host.invalid", "999999999");
    assertThat(file).hasContent("999999999 retrain-elsewhere other-host.invalid");
  }

  @Test
  void theLockRecordsItsHostAndIsNeverSeenWithoutItsContent() throws Exception {
    Path file = dir.resolve("lock");
    try (RunLock lock = RunLock.tryAcquire(file, "retrain-a", new String[1]).orElseThrow()) {
      assertThat(Files.readString(file).split(" "))
          .containsExactly(
              Long.toString(ProcessHandle.current().pid()), "retrain-a", RunLock.host());
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void rivalsInATightLoopNeverHoldTheLockTogether() throws Exception {
    Path file = dir.resolve("lock");
    // Rivals in a tight loop: whoever holds the lock must be alone. A lock created empty and
    // written
    // afterwards can be read empty by a rival, taken for stale and deleted under its holder.
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> rivals = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      String token = "retrain-" + t;
      rivals.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  Optional<RunLock> lock = RunLock.tryAcquire(file, token, new String[1]);
                  if (lock.isPresent()) {
                    if (inside.incrementAndGet() > 1) {
                      overlaps.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    lock.get().close();
                  }
                }
                return null;
              }));
    }
    for (Future<?> rival : rivals) {
      rival.get();
    }
    pool.shutdown();
    assertThat(overlaps).as("runs holding the lock at the same time").hasValue(0);
  }
}
