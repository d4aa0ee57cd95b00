package dev.tidewater.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Which endpoints the AWS clients may talk to and whose error text may be shown. AWS's own hosts
 * and the operator's configured endpoint are trusted; any other endpoint override (a namespace's
 * Cluster {@code aws.endpoint}) must be granted by a TenancyPolicy before a client is built for it,
 * and its error text is never passed on (a namespace could otherwise write what it likes into
 * status, Events and logs): only the HTTP status and error code remain.
 *
 * @param allowed whether a client may be built for an endpoint override
 * @param trustedText whether the error messages of an endpoint are passed on
 */
public record AwsEndpointTrust(Predicate<URI> allowed, Predicate<URI> trustedText) {

  // an error code as AWS spells them; anything else from an untrusted endpoint is its own text
  private static final java.util.regex.Pattern SAFE_CODE =
      java.util.regex.Pattern.compile("[A-Za-z0-9.]{1,64}");

  /** Everything allowed and trusted: tests that build clients themselves. */
  public static final AwsEndpointTrust ANY = new AwsEndpointTrust(u -> true, u -> true);

  /**
   * The operator's trust: AWS's hosts and {@code operatorEndpoint}, plus for building clients the
   * endpoints {@code granted} says a TenancyPolicy grants.
   */
  public static AwsEndpointTrust of(Optional<URI> operatorEndpoint, Predicate<String> granted) {
    Predicate<URI> trusted =
        u -> isAws(u) || operatorEndpoint.map(o -> sameOrigin(o, u)).orElse(false);
    // an override is built only for the operator's own endpoint or one a policy grants: an AWS
    // host name alone proves nothing (API Gateway's execute-api hosts are anyone's)
    Predicate<URI> own = u -> operatorEndpoint.map(o -> sameOrigin(o, u)).orElse(false);
    return new AwsEndpointTrust(u -> own.test(u) || granted.test(u.toString()), trusted);
  }

  /** Whether {@code uri}'s host is one of AWS's (amazonaws.com, amazonaws.com.cn, api.aws). */
  public static boolean isAws(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return host.endsWith(".amazonaws.com")
        || host.endsWith(".amazonaws.com.cn")
        || host.endsWith(".api.aws");
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) return u.getPort();
    return "https".equals(u.getScheme()) ? 443 : 80;
  }

  /** Refuses to build a client for an endpoint override no TenancyPolicy grants. */
  void checkEndpoint(URI endpoint) {
    if (!allowed.test(endpoint)) {
      throw SdkClientException.create(
          "endpoint "
              + endpoint
              + " is granted by no TenancyPolicy (aws.allowedEndpoints): no request is sent to it");
    }
  }

  /** The interceptor replacing the error text of an untrusted endpoint. */
  ExecutionInterceptor errorText() {
    return new ExecutionInterceptor() {
      @Override
      public Throwable modifyException(
          Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Throwable t = context.exception();
        if (!(t instanceof AwsServiceException e) || context.httpRequest().isEmpty()) return t;
        URI uri = context.httpRequest().get().getUri();
        if (trustedText.test(uri)) return t;
        AwsErrorDetails details =
            e.awsErrorDetails() == null ? AwsErrorDetails.builder().build() : e.awsErrorDetails();
        String withheld =
            "HTTP "
                + e.statusCode()
                + (details.errorCode() == null || !SAFE_CODE.matcher(details.errorCode()).matches()
                    ? ""
                    : " " + details.errorCode())
                + " from "
                + uri.getHost()
                + ", which is not an AWS endpoint: its message is not shown";
        return e.toBuilder()
            .message(withheld)
            .awsErrorDetails(details.toBuilder().errorMessage(withheld).build())
            .build();
      }
    };
  }
}
