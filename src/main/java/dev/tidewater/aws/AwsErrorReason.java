package dev.tidewater.aws;

/** Machine-readable reasons for failed AWS calls, as they appear in status conditions. */
public enum AwsErrorReason {
  /** The credentials are not allowed to make the call. */
  AccessDenied,
  /** AWS kept throttling the call after every retry. */
  Throttled,
  /** AWS rejected a parameter of the call. */
  InvalidParameter,
  /** The object the call refers to does not exist. */
  NotFound,
  /** The call conflicts with an existing object or a concurrent change. */
  Conflict,
  /** The endpoint could not be reached (network, DNS, TLS). */
  Unreachable,
  /** Any other AWS failure, including server errors that outlasted the retries. */
  AwsError
}
