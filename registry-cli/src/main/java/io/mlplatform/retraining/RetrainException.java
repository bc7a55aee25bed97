package io.mlplatform.retraining;

/** A retraining problem the user can fix (bad config, unreadable spec); the message says what. */
final class RetrainException extends RuntimeException {

  RetrainException(String message) {
    super(message);
  }
}
