package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

  private static AwsServiceException error(String code, int status) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage("the message")
                .serviceName("ECS")
                .build())
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    "AccessDeniedException, 400, AccessDenied",
    "AccessDenied, 403, AccessDenied",
    "UnrecognizedClientException, 400, AccessDenied",
    "ThrottlingException, 400, Throttled",
    "Throttling, 400, Throttled",
    "RequestLimitExceeded, 503, Throttled",
    "TooManyRequestsException, 429, Throttled",
    "ClientException, 400, InvalidParameter",
    "InvalidParameterException, 400, InvalidParameter",
    "ValidationError, 400, InvalidParameter",
    "MalformedPolicyDocument, 400, InvalidParameter",
    "NoSuchEntity, 404, NotFound",
    "ClusterNotFoundException, 400, NotFound",
    "TargetGroupNotFound, 400, NotFound",
    "ObjectNotFoundException, 400, NotFound",
    "EntityAlreadyExists, 409, Conflict",
    "PriorityInUse, 400, Conflict",
    "DuplicateTargetGroupName, 400, Conflict",
    "ResourceInUseException, 400, Conflict",
    "SomethingNew, 409, Conflict",
    "SomethingNew, 404, NotFound",
    "SomethingNew, 403, AccessDenied",
    "SomethingNew, 400, InvalidParameter",
    "InternalFailure, 500, AwsError",
    "ServiceUnavailable, 503, AwsError",
  })
  void mapsErrorCodesAndStatusesToReasons(String code, int status, AwsErrorReason reason) {
    assertThat(AwsErrors.reasonOf(error(code, status))).isEqualTo(reason);
  }

  @Test
  void unwrapsWrappedFailures() {
    assertThat(AwsErrors.reasonOf(new CompletionException(error("ThrottlingException", 400))))
        .isEqualTo(AwsErrorReason.Throttled);
  }

  @Test
  void networkFailuresAreUnreachable() {
    assertThat(AwsErrors.reasonOf(SdkClientException.create("Connection refused")))
        .isEqualTo(AwsErrorReason.Unreachable);
  }

  @Test
  void messageNamesServiceCodeAndAwsMessage() {
    assertThat(AwsErrors.messageOf(error("ClientException", 400)))
        .isEqualTo("ECS ClientException: the message");
  }
}
