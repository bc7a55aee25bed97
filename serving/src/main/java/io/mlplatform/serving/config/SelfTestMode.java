package io.mlplatform.serving.config;

/** Whether a version must reproduce training's outputs on its reference rows before it serves. */
public enum SelfTestMode {
  /** A version without reference rows is refused: nothing proves the bundle matches training. */
  REQUIRED,
  /** Versions with reference rows are checked; versions without them (hand-made copies) load. */
  IF_PRESENT,
  /** No check. Only for bundles whose reference rows are known to be wrong. */
  OFF
}
