package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tidewater.testing.TestGround;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** The AWS layer against moto: real calls, counting, retries, error reasons, assume-role. */
class AwsClientFactoryIT {

  private static final AwsClientOptions FAST_RETRIES =
      new AwsClientOptions(
          4, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000);

  private final TestGround ground = TestGround.get();
  private final AwsContext moto = ground.motoContext();
  private AwsClientFactory factory;

  @BeforeEach
  void reset() {
    ground.resetMoto();
  }

  @AfterEach
  void close() {
    if (factory != null) factory.close();
  }

  private static void register(EcsClient ecs) {
    ecs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder()
                        .name("web")
                        .image("public.ecr.aws/nginx/nginx:1.27")
                        .memory(512)
                        .build()));
  }

  @Test
  void registersAndDescribesATaskDefinitionAndCountsBothCalls() {
    factory = new AwsClientFactory(FAST_RETRIES, new AwsCallCounter());
    EcsClient ecs = factory.ecs(moto);

    register(ecs);
    TaskDefinition td = ecs.describeTaskDefinition(r -> r.taskDefinition("web")).taskDefinition();

    assertThat(td.family()).isEqualTo("web");
    assertThat(td.revision()).isEqualTo(1);
    assertThat(td.containerDefinitions())
        .extracting(ContainerDefinition::image)
        .containsExactly("public.ecr.aws/nginx/nginx:1.27");
    assertThat(factory.counter().snapshot())
        .containsOnlyKeys("Ecs:RegisterTaskDefinition", "Ecs:DescribeTaskDefinition");
    assertThat(factory.counter().calls("Ecs", "RegisterTaskDefinition")).isEqualTo(1);
    assertThat(factory.counter().calls("Ecs", "DescribeTaskDefinition")).isEqualTo(1);
    assertThat(factory.ecs(moto)).as("clients are cached per context").isSameAs(ecs);
  }

  @Test
  void throttlingIsRetriedWithBackoffUntilTheCallSucceeds() {
    factory =
        new AwsClientFactory(FAST_RETRIES, new AwsCallCounter(), List.of(new FaultInjector(2)));

    register(factory.ecs(moto));

    var counts = factory.counter().snapshot().get("Ecs:RegisterTaskDefinition");
    assertThat(counts.calls()).isEqualTo(1);
    assertThat(counts.attempts()).as("two throttled attempts, then success").isEqualTo(3);
    assertThat(counts.throttled()).isZero();
  }

  @Test
  void persistentThrottlingSurfacesAsReasonThrottledAfterEveryAttempt() {
    List<String> throttledHeard = new java.util.ArrayList<>();
    AwsCallCounter counter =
        new AwsCallCounter(
            new AwsCallCounter.Listener() {
              @Override
              public void called(String key) {}

              @Override
              public void throttled(String key) {
                throttledHeard.add(key);
              }
            });
    factory = new AwsClientFactory(FAST_RETRIES, counter, List.of(new FaultInjector(100)));

    Throwable failure = catchThrowable(() -> register(factory.ecs(moto)));

    assertThat(failure).isInstanceOf(EcsException.class);
    assertThat(AwsErrors.reasonOf(failure)).isEqualTo(AwsErrorReason.Throttled);
    assertThat(AwsErrors.messageOf(failure)).contains("ThrottlingException");
    var counts = factory.counter().snapshot().get("Ecs:RegisterTaskDefinition");
    assertThat(counts.attempts()).isEqualTo(FAST_RETRIES.maxAttempts());
    assertThat(counts.throttled()).isEqualTo(1);
    assertThat(throttledHeard).containsExactly("Ecs:RegisterTaskDefinition");
  }

  @Test
  void awsErrorsGetTheirReason() {
    factory = new AwsClientFactory(FAST_RETRIES, new AwsCallCounter());

    Throwable notFound =
        catchThrowable(() -> factory.iam(moto).getRole(r -> r.roleName("missing")));
    Throwable invalid =
        catchThrowable(
            () -> factory.ecs(moto).describeServices(r -> r.cluster("nope").services("svc")));

    assertThat(AwsErrors.reasonOf(notFound)).isEqualTo(AwsErrorReason.NotFound);
    assertThat(AwsErrors.messageOf(notFound)).contains("NoSuchEntity");
    assertThat(AwsErrors.reasonOf(invalid)).isEqualTo(AwsErrorReason.NotFound);
  }

  @Test
  void assumesARoleInAnotherAccountThroughSts() {
    factory = new AwsClientFactory(FAST_RETRIES, new AwsCallCounter());
    String roleArn =
        factory
            .iam(moto)
            .createRole(
                r ->
                    r.roleName("tidewater-cross-account")
                        .assumeRolePolicyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}"))
            .role()
            .arn();
    // the session gets the role's permissions (the strict layer evaluates them): ListClusters only
    factory
        .iam(moto)
        .putRolePolicy(
            r ->
                r.roleName("tidewater-cross-account")
                    .policyName("list-clusters")
                    .policyDocument(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"ecs:ListClusters\",\"Resource\":\"*\"}]}"));

    AwsContext assumed = moto.assumingRole(roleArn, Optional.of("ext-id"));
    factory.ecs(assumed).listClusters();

    assertThat(factory.counter().calls("Sts", "AssumeRole")).isEqualTo(1);
    assertThat(factory.counter().calls("Ecs", "ListClusters")).isEqualTo(1);
  }

  @Test
  void unreachableEndpointIsReasonUnreachable() {
    factory =
        new AwsClientFactory(
            new AwsClientOptions(
                1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), 100, 10),
            new AwsCallCounter());
    AwsContext nowhere =
        new AwsContext(
            "us-east-1",
            Optional.of(java.net.URI.create("http://127.0.0.1:9")),
            moto.credentials(),
            Optional.empty(),
            Optional.empty());

    Throwable failure = catchThrowable(() -> factory.ecs(nowhere).listClusters());

    assertThat(AwsErrors.reasonOf(failure)).isEqualTo(AwsErrorReason.Unreachable);
  }
}
