package dev.tidewater.backend.aws;

import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendFailure;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Where a backend turns AWS failures into {@link BackendFailure}s, so reconcilers never see an SDK
 * exception: an invalid AWS context keeps its reason, an SDK exception gets the reason of {@link
 * AwsErrors} (AccessDenied, Throttled, ...) and is {@link BackendFailure#retryable()}.
 */
public final class AwsFailures {

  private AwsFailures() {}

  /** {@code call}'s value, or its AWS failure as a Degraded {@link BackendFailure}. */
  public static <T> T translated(Supplier<T> call) {
    try {
      return call.get();
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      throw BackendFailure.degraded(e.reason(), e.getMessage(), e);
    } catch (SdkException e) {
      throw BackendFailure.callFailed(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e), e);
    }
  }

  /** Runs {@code call}, its AWS failure as a Degraded {@link BackendFailure}. */
  public static void translated(Runnable call) {
    translated(
        () -> {
          call.run();
          return null;
        });
  }
}
