package io.r2estream.runtime;

/**
 * Whether a patch applied in a container and how, or, when it did not, every method's error in the order tried.
 * {@code method} is null exactly when {@code applied} is false.
 */
public record ApplyOutcome(boolean applied, Method method, String error) {

  /** The ways {@link Patches} tries, strictest first. */
  public enum Method {
    /** {@code git apply}: exact context, atomic. */
    GIT_APPLY,
    /** {@code git apply --3way}: a clean three-way merge against the patch's recorded preimage blobs. */
    GIT_APPLY_3WAY,
    /** GNU {@code patch --fuzz=2}: tolerates moved hunks and two lines of changed context. */
    PATCH_FUZZ
  }

  static ApplyOutcome appliedBy(final Method method) {
    return new ApplyOutcome(true, method, "");
  }

  static ApplyOutcome failed(final String error) {
    return new ApplyOutcome(false, null, error);
  }
}
