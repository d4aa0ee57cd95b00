package dev.tidewater.strictaws;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.TestGround;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * SDK clients on the strict AWS layer for the strict-layer ITs: the admin's, the operator's and
 * those of principals a test registers with a small policy. No retries, so every refusal reaches
 * the test as it was answered.
 */
final class StrictClients implements AutoCloseable {

  static final String ACCOUNT = "123456789012";

  private static final AwsClientOptions NO_RETRIES =
      new AwsClientOptions(
          1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000);

  final TestGround ground = TestGround.get();
  final AwsClientFactory factory = new AwsClientFactory(NO_RETRIES, new AwsCallCounter());
  final AwsContext admin = ground.motoContext();
  final AwsContext operator = ground.operatorAwsContext();

  /** Registers a principal allowed exactly what {@code policies} allow; returns its context. */
  AwsContext principal(String name, String... policies) {
    String key = "AKIDTEST" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ground.strictPrincipal(name, key, "secret-" + key, List.of(policies));
    return ground.awsContext(key, "secret-" + key);
  }

  /** The AWS error {@code call} was answered with (fails when it succeeded). */
  static AwsServiceException refusal(ThrowingCallable call) {
    AwsServiceException e = catchThrowableOfType(call, AwsServiceException.class);
    if (e == null) throw new AssertionError("the call succeeded; a refusal was expected");
    return e;
  }

  /** A policy document with one statement. */
  static String allow(String actions, String resources) {
    return statement("Allow", actions, resources, null);
  }

  static String statement(String effect, String actions, String resources, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + st(effect, actions, resources, condition)
        + "]}";
  }

  /** One statement; {@code actions} / {@code resources} are JSON values (a string or a list). */
  static String st(String effect, String actions, String resources, String condition) {
    return "{\"Effect\":\""
        + effect
        + "\",\"Action\":"
        + actions
        + ",\"Resource\":"
        + resources
        + (condition == null ? "" : ",\"Condition\":" + condition)
        + "}";
  }

  static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  static String q(String s) {
    return "\"" + s + "\"";
  }

  /** A VPC with two subnets in moto's EC2 (load balancers need them); returns [vpc, s1, s2]. */
  String[] network() {
    Ec2Client ec2 = factory.ec2(admin);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String s1 =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String s2 =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
    return new String[] {vpc, s1, s2};
  }

  @Override
  public void close() {
    factory.close();
  }
}
