package io.mlplatform.serving.lifecycle;

/**
 * How the last reads of the store went. Loaded models keep serving whatever this says.
 *
 * @param reachable whether the last read succeeded
 * @param lastSuccess ISO-8601 instant of the last successful read, or null
 * @param lastAttempt ISO-8601 instant of the last read, or null before the first
 * @param lastError why the last read failed, or null when it succeeded
 */
public record StoreStatus(
    boolean reachable, String lastSuccess, String lastAttempt, String lastError) {

  static final StoreStatus NEVER_READ = new StoreStatus(false, null, null, null);

  StoreStatus succeeded(String now) {
    return new StoreStatus(true, now, now, null);
  }

  StoreStatus failed(String now, String error) {
    return new StoreStatus(false, lastSuccess, now, error);
  }
}
