package dev.tidewater.aws;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Replaces the first {@code n} HTTP responses of AWS JSON-protocol calls with a throttling error
 * (as AWS sends it: 400, {@code ThrottlingException}), after the real call went through.
 */
final class FaultInjector implements ExecutionInterceptor {

  private static final String BODY =
      "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";

  /** Whether the current attempt's response is being replaced. */
  private static final ExecutionAttribute<Boolean> THROTTLED =
      new ExecutionAttribute<>("throttled");

  private final AtomicInteger remaining;

  FaultInjector(int n) {
    this.remaining = new AtomicInteger(n);
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    boolean throttle = remaining.getAndUpdate(r -> Math.max(0, r - 1)) > 0;
    attributes.putAttribute(THROTTLED, throttle);
    if (!throttle) {
      return context.httpResponse();
    }
    return context.httpResponse().toBuilder()
        .statusCode(400)
        .statusText("Bad Request")
        .putHeader("x-amzn-ErrorType", "ThrottlingException")
        .putHeader("Content-Length", String.valueOf(BODY.length()))
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (!Boolean.TRUE.equals(attributes.getAttribute(THROTTLED))) {
      return context.responseBody();
    }
    return Optional.of(new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));
  }
}
