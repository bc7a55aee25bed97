package io.mlplatform.serving.lifecycle;

/**
 * Why a version will not be served.
 *
 * @param kind which check it failed
 * @param reason what an operator needs to know, without local paths
 */
public record Refusal(Kind kind, String reason) {

  public enum Kind {
    /** The manifest cannot be read or contradicts itself. */
    MANIFEST,
    /** The zip is unsafe (entries escaping the directory, links), too big, or not a zip. */
    ARCHIVE,
    /** MLeap cannot load the bundle, or it does not fit its manifest. */
    BUNDLE,
    /** The bundle does not reproduce training's outputs on the reference rows. */
    SELF_TEST;

    /** Lower-case label for metrics and JSON. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return kind.id() + ": " + reason;
  }
}
