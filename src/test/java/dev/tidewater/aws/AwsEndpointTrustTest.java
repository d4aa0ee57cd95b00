package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.testing.LoopbackAws;
import dev.tidewater.testing.RecordedAwsRequests;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * The AWS clients talk only to AWS, the operator's own endpoint and endpoints a TenancyPolicy
 * grants, and pass on the error text of AWS and the operator's endpoint only.
 */
class AwsEndpointTrustTest {

  private final RecordedAwsRequests recorded = RecordedAwsRequests.awsJson();
  private final LoopbackAws loopback = new LoopbackAws("us-east-1", recorded);

  @AfterEach
  void close() {
    loopback.close();
  }

  private AwsClientFactory factory(AwsEndpointTrust trust) {
    return new AwsClientFactory(
        new AwsClientOptions(
            1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
        new AwsCallCounter(),
        List.of(recorded),
        trust);
  }

  @Test
  void awsHostsAndTheOperatorsEndpointAreTrustedOthersOnlyWhenGranted() {
    AwsEndpointTrust trust =
        AwsEndpointTrust.of(
            Optional.of(URI.create("http://moto.local:5000")), e -> e.contains("granted"));
    assertThat(trust.trustedText().test(URI.create("https://ecs.eu-west-1.amazonaws.com/")))
        .isTrue();
    assertThat(trust.trustedText().test(URI.create("https://ecs.cn-north-1.amazonaws.com.cn")))
        .isTrue();
    assertThat(trust.trustedText().test(URI.create("https://ecs.eu-west-1.api.aws"))).isTrue();
    assertThat(trust.trustedText().test(URI.create("http://moto.local:5000/"))).isTrue();
    assertThat(trust.trustedText().test(URI.create("http://moto.local:5001/"))).isFalse();
    assertThat(trust.trustedText().test(URI.create("https://amazonaws.com.evil.example")))
        .isFalse();
    assertThat(trust.allowed().test(URI.create("http://granted.example"))).isTrue();
    assertThat(trust.trustedText().test(URI.create("http://granted.example"))).isFalse();
    assertThat(trust.allowed().test(URI.create("http://collector.example"))).isFalse();
  }

  @Test
  void noClientIsBuiltForAnEndpointNoPolicyGrants() {
    try (AwsClientFactory clients =
        factory(AwsEndpointTrust.of(Optional.empty(), endpoint -> false))) {
      assertThatThrownBy(() -> clients.ecs(loopback.context).describeClusters(r -> {}))
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("granted by no TenancyPolicy");
    }
    assertThat(recorded.requests()).as("nothing was sent").isEmpty();
  }

  @Test
  void theErrorTextOfAnEndpointThatIsNotAwsIsReplacedByStatusAndCode() {
    recorded.answer(
        "DescribeClusters",
        RecordedAwsRequests.Answer.error(400, "ClientException", "open http://phish.example now"));
    try (AwsClientFactory clients =
        factory(AwsEndpointTrust.of(Optional.empty(), endpoint -> true))) {
      assertThatThrownBy(() -> clients.ecs(loopback.context).describeClusters(r -> {}))
          .isInstanceOfSatisfying(
              EcsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ClientException");
                assertThat(AwsErrors.messageOf(e))
                    .contains("HTTP 400 ClientException", "not an AWS endpoint")
                    .doesNotContain("phish");
                assertThat(e.getMessage()).doesNotContain("phish");
              });
    }
    recorded.answer(
        "DescribeClusters",
        RecordedAwsRequests.Answer.error(400, "ClientException", "open http://phish.example now"));
    try (AwsClientFactory clients = factory(AwsEndpointTrust.ANY)) {
      assertThatThrownBy(() -> clients.ecs(loopback.context).describeClusters(r -> {}))
          .as("a trusted endpoint's text is kept")
          .hasMessageContaining("phish");
    }
  }
}
