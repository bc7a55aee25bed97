package io.mlplatform.serving.http;

import io.mlplatform.store.storage.StoreException;
import java.util.function.Supplier;

/**
 * Runs an admin change that writes to the model store and maps what the store refuses to the API's
 * errors: a file system failure is a 503 {@code store_unavailable} saying why (the change was not
 * applied on this replica), a missing or incomplete version a 404 or 409, an invalid change a 400.
 */
final class StoreWrites {

  private StoreWrites() {}

  static <T> T run(Supplier<T> change) {
    try {
      return change.get();
    } catch (StoreException e) {
      throw switch (e.kind()) {
        case IO ->
            new ApiException(
                ErrorKind.STORE_UNAVAILABLE,
                "cannot write the change to the model store ("
                    + e.getMessage()
                    + "); this replica applied nothing");
        case NOT_FOUND -> new ApiException(ErrorKind.VERSION_NOT_FOUND, e.getMessage());
        case CORRUPT -> new ApiException(ErrorKind.VERSION_REFUSED, e.getMessage());
        case INVALID -> new ApiException(ErrorKind.INVALID_REQUEST, e.getMessage());
      };
    }
  }
}
