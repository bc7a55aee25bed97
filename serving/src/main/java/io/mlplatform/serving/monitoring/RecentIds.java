package io.mlplatform.serving.monitoring;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ids of the feedback tokens this process accepted lately, to refuse an immediate replay (a
 * client retrying a feedback that did succeed). A direct-mapped table of fingerprints: fixed
 * memory, one slot per id, a newer id evicting an older one in its slot. A replay that reaches
 * another replica, or comes after many other feedbacks, is not caught here; readers of the
 * prediction log dedupe feedback by id.
 */
final class RecentIds {

  static final int SLOTS =
      1 << 16; // 512 KiB; a replay within ~10,000 feedbacks is nearly always caught

  private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

  /** True the first time a fingerprint is seen lately; false for a replay. */
  boolean firstTime(long fingerprint) {
    int slot = (int) (fingerprint >>> 40) & (SLOTS - 1);
    while (true) {
      long old = slots.get(slot);
      if (old == fingerprint) {
        return false;
      }
      if (slots.compareAndSet(slot, old, fingerprint)) {
        return true;
      }
    }
  }
}
