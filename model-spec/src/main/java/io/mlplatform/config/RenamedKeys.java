package io.mlplatform.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys a config used to have under another name. An old spelling is refused, never read silently,
 * and the refusal names the new key, so a file written for an older release fails at start with the
 * fix in the message: {@code key 'label' was renamed to 'target'}.
 *
 * <p>Keys are full dotted paths from the file's root ({@code split.test_fraction}); a caller that
 * walks lists passes the path without indexes.
 */
public final class RenamedKeys {

  private final Map<String, String> renames;

  private RenamedKeys(Map<String, String> renames) {
    this.renames = Collections.unmodifiableMap(renames);
  }

  /**
   * @param oldAndNew pairs of full paths: old, new, old, new, ...
   */
  public static RenamedKeys of(String... oldAndNew) {
    if (oldAndNew.length % 2 != 0) {
      throw new IllegalArgumentException("pairs of old and new keys expected, got an odd count");
    }
    Map<String, String> renames = new LinkedHashMap<>();
    for (int i = 0; i < oldAndNew.length; i += 2) {
      renames.put(oldAndNew[i], oldAndNew[i + 1]);
    }
    return new RenamedKeys(renames);
  }

  /**
   * @param parent the section's path, "" at the root
   * @param key a key found in that section
   * @return the refusal when {@code key} is an old spelling
   */
  public Optional<String> problem(String parent, String key) {
    String path = join(parent, key);
    String renamed = renames.get(path);
    return renamed == null
        ? Optional.empty()
        : Optional.of("key '" + path + "' was renamed to '" + renamed + "'");
  }

  /** Old full path to new full path. */
  public Map<String, String> renames() {
    return renames;
  }

  public static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
