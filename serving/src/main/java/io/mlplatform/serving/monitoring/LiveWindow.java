package io.mlplatform.serving.monitoring;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bins of the last {@code capacity} live rows, per column, without locks: a row takes a slot of
 * a ring buffer, each column writes its bin into the slot and moves one count from the bin the slot
 * held before to the new one. Readers see counts that may be a few rows in flight behind, never a
 * torn or negative state once writers are done, which is all PSI needs.
 */
final class LiveWindow {

  private final int capacity;
  private final int[] bins;
  // Per column: the bin of each slot, plus one (0 marks a slot no row has used yet).
  private final AtomicIntegerArray[] slots;
  private final AtomicLongArray[] counts;
  private final AtomicLong rows = new AtomicLong();

  /**
   * @param bins the number of bins of each column
   */
  LiveWindow(int capacity, int[] bins) {
    this.capacity = capacity;
    this.bins = bins.clone();
    slots = new AtomicIntegerArray[bins.length];
    counts = new AtomicLongArray[bins.length];
    for (int c = 0; c < bins.length; c++) {
      slots[c] = new AtomicIntegerArray(capacity);
      counts[c] = new AtomicLongArray(bins[c]);
    }
  }

  /** Reserves the slot of the next row; pass it to {@link #put} for each column. */
  int nextSlot() {
    return (int) (rows.getAndIncrement() % capacity);
  }

  void put(int slot, int column, int bin) {
    int previous = slots[column].getAndSet(slot, bin + 1);
    if (previous != 0) {
      counts[column].decrementAndGet(previous - 1);
    }
    counts[column].incrementAndGet(bin);
  }

  /** A copy of one column's counts, and their sum in the last element. */
  long[] counts(int column) {
    long[] copy = new long[bins[column] + 1];
    long total = 0;
    for (int b = 0; b < bins[column]; b++) {
      copy[b] = Math.max(0, counts[column].get(b));
      total += copy[b];
    }
    copy[bins[column]] = total;
    return copy;
  }

  /** Rows seen since the version was loaded, the window's capacity at most. */
  long rows() {
    return Math.min(rows.get(), capacity);
  }

  long rowsSeen() {
    return rows.get();
  }

  int capacity() {
    return capacity;
  }
}
