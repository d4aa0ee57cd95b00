package dev.tidewater.aws;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps AWS SDK failures to {@link AwsErrorReason}s and safe human messages. */
public final class AwsErrors {

  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "ExpiredToken",
          "ExpiredTokenException",
          "AuthFailure",
          "SignatureDoesNotMatch",
          "MissingAuthenticationToken");

  private static final Set<String> THROTTLED =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown",
          "PriorRequestNotComplete");

  private static final Set<String> INVALID_PARAMETER =
      Set.of(
          "InvalidParameterException",
          "InvalidParameterValue",
          "InvalidParameterValueException",
          "InvalidParameterCombination",
          "InvalidInput",
          "ValidationError",
          "ValidationException",
          "ClientException",
          "MalformedPolicyDocument",
          "MalformedPolicyDocumentException",
          "InvalidConfigurationRequest",
          "InvalidConfigurationRequestException",
          "UnsupportedProtocol",
          "PlatformUnknownException",
          "PlatformTaskDefinitionIncompatibilityException",
          "LimitExceeded",
          "LimitExceededException");

  private static final Set<String> NOT_FOUND =
      Set.of(
          "NoSuchEntity",
          "NoSuchEntityException",
          "NotFoundException",
          "ResourceNotFoundException",
          "ClusterNotFoundException",
          "ServiceNotFoundException",
          "ServiceNotActiveException",
          "TargetGroupNotFound",
          "ListenerNotFound",
          "RuleNotFound",
          "LoadBalancerNotFound",
          "ObjectNotFoundException");

  private static final Set<String> CONFLICT =
      Set.of(
          "EntityAlreadyExists",
          "EntityAlreadyExistsException",
          "DuplicateTargetGroupName",
          "DuplicateListener",
          "DuplicateLoadBalancerName",
          "PriorityInUse",
          "ResourceInUse",
          "ResourceInUseException",
          "DeleteConflict",
          "DeleteConflictException",
          "ConcurrentModification",
          "ConcurrentModificationException",
          "ConcurrentUpdateException",
          "ConflictException",
          "UpdateInProgressException");

  // ECS's answer to a CreateService / UpdateService whose task role IAM does not yet let it assume
  // (a role created seconds ago: IAM is eventually consistent)
  private static final Pattern UNASSUMABLE_ROLE =
      Pattern.compile("unable to assume the role '([^']+)'", Pattern.CASE_INSENSITIVE);

  private AwsErrors() {}

  /**
   * The role ARN of an ECS "unable to assume the role '...'" refusal: for a new role this passes
   * once IAM has propagated it, so it is waited for rather than reported at once.
   */
  public static Optional<String> unassumableRole(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      String message = e.awsErrorDetails().errorMessage();
      if (message != null && INVALID_PARAMETER.contains(e.awsErrorDetails().errorCode())) {
        Matcher m = UNASSUMABLE_ROLE.matcher(message);
        if (m.find()) return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The condition reason for a failed call. */
  public static AwsErrorReason reasonOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (code != null) {
        if (THROTTLED.contains(code)) return AwsErrorReason.Throttled;
        if (ACCESS_DENIED.contains(code)) return AwsErrorReason.AccessDenied;
        if (INVALID_PARAMETER.contains(code)) return AwsErrorReason.InvalidParameter;
        if (NOT_FOUND.contains(code)) return AwsErrorReason.NotFound;
        if (CONFLICT.contains(code)) return AwsErrorReason.Conflict;
      }
      if (e.isThrottlingException()) return AwsErrorReason.Throttled;
      return switch (e.statusCode()) {
        case 401, 403 -> AwsErrorReason.AccessDenied;
        case 404 -> AwsErrorReason.NotFound;
        case 409 -> AwsErrorReason.Conflict;
        case 400 -> AwsErrorReason.InvalidParameter;
        default -> AwsErrorReason.AwsError;
      };
    }
    if (t instanceof SdkClientException) return AwsErrorReason.Unreachable;
    return AwsErrorReason.AwsError;
  }

  /**
   * A one-line message naming the API, the AWS error code and AWS's own message; safe for status
   * and events (AWS messages carry no secret values).
   */
  public static String messageOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      var d = e.awsErrorDetails();
      String api = d.serviceName() == null ? "AWS" : d.serviceName();
      return api + " " + d.errorCode() + ": " + d.errorMessage();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while (!(cur instanceof SdkException) && cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    return cur;
  }
}
