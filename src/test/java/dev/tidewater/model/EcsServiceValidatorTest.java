package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EcsServiceValidatorTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final EcsServiceValidator VALIDATOR = new EcsServiceValidator();

  private static final String BASE = "taskDefinitionRef: {name: web}\n";

  static List<Problem> validate(String yaml) {
    try {
      return VALIDATOR.validate(YAML.readValue(BASE + yaml, EcsServiceSpec.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test YAML does not parse: " + e.getMessage(), e);
    }
  }

  @Test
  void theShippedExampleIsValid() throws IOException {
    JsonNode example = YAML.readTree(Path.of("examples", "service.yaml").toFile());
    EcsServiceSpec spec = YAML.treeToValue(example.get("spec"), EcsServiceSpec.class);
    assertThat(VALIDATOR.validate(spec)).isEmpty();
  }

  @Test
  void aMinimalServiceIsValid() {
    assertThat(validate("desiredCount: 2\n")).isEmpty();
  }

  // --- desiredCount and autoscaling -------------------------------------------------------------

  @Nested
  class DesiredCount {

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6})
    void mayLieWithinTheAutoscalingRange(int desired) {
      assertThat(
              validate(
                  "desiredCount: "
                      + desired
                      + "\nautoscaling: {minTasks: 2, maxTasks: 6,"
                      + " targetCpuUtilization: 60}\n"))
          .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7})
    void mustNotLieOutsideIt(int desired) {
      assertOnly(
          validate(
              "desiredCount: "
                  + desired
                  + "\nautoscaling: {minTasks: 2, maxTasks: 6, targetCpuUtilization: 60}\n"),
          "desiredCount",
          "DesiredCountOutOfRange",
          "desiredCount " + desired,
          "minTasks 2",
          "maxTasks 6");
    }

    @Test
    void minTasksMustNotExceedMaxTasks() {
      assertOnly(
          validate("autoscaling: {minTasks: 5, maxTasks: 3, targetCpuUtilization: 60}\n"),
          "autoscaling.minTasks",
          "InvalidAutoscalingRange",
          "5",
          "3");
    }
  }

  @Test
  void launchTypeAndCapacityProvidersExcludeEachOther() {
    assertOnly(
        validate(
            "launchType: FARGATE\ncapacityProviderStrategy: [{capacityProvider: FARGATE,"
                + " weight: 1}]\n"),
        "capacityProviderStrategy",
        "ConflictingFields",
        "launchType FARGATE");
  }

  // --- DAEMON -----------------------------------------------------------------------------------

  @Nested
  class Daemon {

    @Test
    void aPlainDaemonIsValid() {
      assertThat(
              validate(
                  "schedulingStrategy: DAEMON\nlaunchType: EC2\n"
                      + "placementConstraints: [{type: memberOf, expression: 'attribute:gpu exists'}]\n"))
          .isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '"',
        value = {
          "launchType: FARGATE|launchType|FARGATE",
          "capacityProviderStrategy: [{capacityProvider: my-asg, weight: 1}]"
              + "|capacityProviderStrategy|capacityProviderStrategy",
          "placementStrategy: [{type: spread, field: 'attribute:ecs.availability-zone'}]"
              + "|placementStrategy|placementStrategy",
          "deploymentController: {type: CODE_DEPLOY}|deploymentController.type|CODE_DEPLOY",
          "deploymentController: {type: EXTERNAL}|deploymentController.type|EXTERNAL",
          "desiredCount: 3|desiredCount|desiredCount 3",
        })
    void rejects(String yaml, String path, String named) {
      List<Problem> problems = validate("schedulingStrategy: DAEMON\n" + yaml + "\n");
      assertThat(problems)
          .filteredOn(p -> p.reason().equals("NotSupportedForDaemon"))
          .extracting(Problem::path)
          .containsExactly(path);
      assertThat(problems)
          .filteredOn(p -> p.path().equals(path))
          .extracting(Problem::message)
          .allSatisfy(m -> assertThat(m).contains(named, "DAEMON"));
    }
  }

  // --- Fargate ----------------------------------------------------------------------------------

  @Nested
  class Fargate {

    @Test
    void placementStrategyIsNotForFargate() {
      assertOnly(
          validate("launchType: FARGATE\nplacementStrategy: [{type: binpack, field: memory}]\n"),
          "placementStrategy",
          "NotSupportedOnFargate",
          "placementStrategy");
    }

    @Test
    void placementConstraintsAreNotForFargateSpot() {
      assertOnly(
          validate(
              "capacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}]\n"
                  + "placementConstraints: [{type: distinctInstance}]\n"),
          "placementConstraints",
          "NotSupportedOnFargate",
          "placementConstraints");
    }

    @Test
    void ec2TakesPlacement() {
      assertThat(
              validate(
                  "launchType: EC2\nplacementStrategy: [{type: binpack, field: memory}]\n"
                      + "placementConstraints: [{type: distinctInstance}]\n"))
          .isEmpty();
    }
  }

  // --- capacity providers -----------------------------------------------------------------------

  @Nested
  class CapacityProviders {

    @Test
    void aFargateAndSpotMixIsValid() {
      assertThat(
              validate(
                  "capacityProviderStrategy: [{capacityProvider: FARGATE, base: 1, weight: 1},"
                      + " {capacityProvider: FARGATE_SPOT, base: 0, weight: 2}]\n"))
          .isEmpty();
    }

    @Test
    void onlyOneProviderHasABase() {
      assertOnly(
          validate(
              "capacityProviderStrategy: [{capacityProvider: FARGATE, base: 1, weight: 1},"
                  + " {capacityProvider: FARGATE_SPOT, base: 2, weight: 1}]\n"),
          "capacityProviderStrategy[1].base",
          "MultipleCapacityProviderBases",
          "\"FARGATE_SPOT\"",
          "\"FARGATE\"");
    }

    @Test
    void fargateAndAutoScalingGroupsDoNotMix() {
      assertOnly(
          validate(
              "capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 1},"
                  + " {capacityProvider: my-asg, weight: 1}]\n"),
          "capacityProviderStrategy",
          "MixedCapacityProviders",
          "FARGATE");
    }

    @Test
    void severalProvidersNeedAWeight() {
      assertOnly(
          validate(
              "capacityProviderStrategy: [{capacityProvider: asg-a, base: 1},"
                  + " {capacityProvider: asg-b, weight: 0}]\n"),
          "capacityProviderStrategy",
          "NoCapacityProviderWeight",
          "weight above 0");
      assertThat(validate("capacityProviderStrategy: [{capacityProvider: asg-a, base: 2}]\n"))
          .isEmpty();
    }
  }

  // --- deployment configuration -----------------------------------------------------------------

  @Nested
  class Deployment {

    @ParameterizedTest(name = "min {0}, max {1}")
    @CsvSource({"100,200", "50,100", "0,100", "50,150", "100,101"})
    void validPercentages(int min, int max) {
      assertThat(
              validate(
                  "deploymentConfiguration: {minimumHealthyPercent: "
                      + min
                      + ", maximumPercent: "
                      + max
                      + "}\n"))
          .isEmpty();
    }

    @Test
    void minimumHealthyMustNotExceedMaximum() {
      assertOnly(
          validate("deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 50}\n"),
          "deploymentConfiguration.minimumHealthyPercent",
          "MinimumHealthyAboveMaximum",
          "minimumHealthyPercent 100",
          "maximumPercent 50");
    }

    @Test
    void oneHundredAndOneHundredCannotProgress() {
      assertOnly(
          validate("deploymentConfiguration: {minimumHealthyPercent: 100, maximumPercent: 100}\n"),
          "deploymentConfiguration.maximumPercent",
          "DeploymentCannotProgress",
          "minimumHealthyPercent 100",
          "maximumPercent 100");
    }

    @Test
    void theDefaultMinimumCountsToo() {
      assertOnly(
          validate("deploymentConfiguration: {maximumPercent: 100}\n"),
          "deploymentConfiguration.maximumPercent",
          "DeploymentCannotProgress",
          "minimumHealthyPercent 100 (the default)");
    }

    @Test
    void aDaemonDefaultsToMinimumZero() {
      assertThat(
              validate(
                  "schedulingStrategy: DAEMON\ndeploymentConfiguration: {maximumPercent: 100}\n"))
          .isEmpty();
    }

    @Test
    void theCircuitBreakerNeedsTheEcsController() {
      assertOnly(
          validate(
              "deploymentController: {type: CODE_DEPLOY}\n"
                  + "deploymentConfiguration: {deploymentCircuitBreaker: {enable: true,"
                  + " rollback: true}}\n"),
          "deploymentConfiguration.deploymentCircuitBreaker.enable",
          "RequiresEcsDeploymentController",
          "CODE_DEPLOY");
    }

    @Test
    void deploymentAlarmsNeedTheEcsController() {
      assertOnly(
          validate(
              "deploymentController: {type: EXTERNAL}\n"
                  + "deploymentConfiguration: {alarms: {alarmNames: [high-latency], enable: true,"
                  + " rollback: true}}\n"),
          "deploymentConfiguration.alarms.enable",
          "RequiresEcsDeploymentController",
          "EXTERNAL");
    }

    @Test
    void theBreakerWorksWithEcsAndMayBeOffElsewhere() {
      String breaker =
          "deploymentConfiguration: {deploymentCircuitBreaker: {enable: %s, rollback: true}}\n";
      assertThat(validate("deploymentController: {type: ECS}\n" + breaker.formatted("true")))
          .isEmpty();
      assertThat(
              validate("deploymentController: {type: CODE_DEPLOY}\n" + breaker.formatted("false")))
          .isEmpty();
    }
  }

  // --- what only the ecs backend refuses ------------------------------------------------------

  @Nested
  class OnEcsBackend {

    private List<Problem> onEcs(String yaml) {
      try {
        return EcsServiceValidator.onEcsBackend(YAML.readValue(BASE + yaml, EcsServiceSpec.class));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(e);
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CODE_DEPLOY", "EXTERNAL"})
    void aControllerOtherThanEcsIsRefusedNamingTheField(String controller) {
      String yaml = "desiredCount: 2\ndeploymentController: {type: " + controller + "}\n";
      assertOnly(
          onEcs(yaml),
          "deploymentController.type",
          EcsServiceValidator.DEPLOYMENT_CONTROLLER_NOT_SUPPORTED,
          "ECS refuses UpdateService taskDefinition");
      // the kubernetes backend rolls pods out itself: a warning there, not a refusal
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void theEcsControllerAndRollingNeedNothing() {
      assertThat(
              onEcs(
                  "deploymentController: {type: ECS}\n"
                      + "deploymentConfiguration: {strategy: ROLLING}\n"))
          .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BLUE_GREEN", "LINEAR", "CANARY"})
    void aShiftingStrategyWithoutLoadBalancerOrServiceConnectIsRefused(String strategy) {
      assertOnly(
          onEcs("deploymentConfiguration: {strategy: " + strategy + "}\n"),
          "deploymentConfiguration.strategy",
          EcsServiceValidator.STRATEGY_NEEDS_TRAFFIC,
          strategy);
    }

    @Test
    void aShiftingStrategyNeedsTheAdvancedConfigurationOfEachTargetGroup() {
      String tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123";
      assertOnly(
          onEcs(
              "deploymentConfiguration: {strategy: BLUE_GREEN}\n"
                  + "loadBalancers: [{targetGroupArn: '"
                  + tg
                  + "', containerName: web, containerPort: 80}]\n"),
          "loadBalancers[0].advancedConfiguration",
          EcsServiceValidator.STRATEGY_NEEDS_TRAFFIC,
          "alternate target group");
      assertThat(
              onEcs(
                  "deploymentConfiguration: {strategy: BLUE_GREEN}\n"
                      + "loadBalancers: [{targetGroupArn: '"
                      + tg
                      + "', containerName: web, containerPort: 80, advancedConfiguration:"
                      + " {alternateTargetGroupArn: '"
                      + tg
                      + "-green', productionListenerRule: 'arn:rule', roleArn:"
                      + " 'arn:aws:iam::123456789012:role/ecs-bg'}}]\n"))
          .isEmpty();
      assertThat(
              onEcs(
                  "deploymentConfiguration: {strategy: CANARY}\n"
                      + "serviceConnectConfiguration: {enabled: true, namespace: shop}\n"))
          .isEmpty();
    }
  }

  // --- awsvpc network configuration -------------------------------------------------------------

  @Nested
  class Network {

    private List<Problem> vpc(String subnet, String group) {
      return validate(
          "networkConfiguration: {awsvpcConfiguration: {subnets: ['"
              + subnet
              + "'], securityGroups: ['"
              + group
              + "']}}\n");
    }

    @ParameterizedTest
    @CsvSource({
      "subnet-abcdef00,sg-12345678",
      "subnet-0623adfcb3093f18f,sg-0a69199a34e15147a",
    })
    void acceptsShortAndLongIds(String subnet, String group) {
      assertThat(vpc(subnet, group)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"subnet-123", "subnet-ABCDEF00", "subnet-abcdef001", "sn-abcdef00", ""})
    void rejectsOtherSubnets(String subnet) {
      assertOnly(
          vpc(subnet, "sg-12345678"),
          "networkConfiguration.awsvpcConfiguration.subnets[0]",
          "InvalidSubnetId",
          '"' + subnet + '"');
    }

    @ParameterizedTest
    @ValueSource(strings = {"sg-xyz", "default", "sg-1234567890abcdef"})
    void rejectsOtherSecurityGroups(String group) {
      assertOnly(
          vpc("subnet-abcdef00", group),
          "networkConfiguration.awsvpcConfiguration.securityGroups[0]",
          "InvalidSecurityGroupId",
          '"' + group + '"');
    }

    @Test
    void rejectsTemplatePlaceholders() {
      assertOnly(
          vpc("{{ tfstate `aws_subnet.private-a.id` }}", "sg-12345678"),
          "networkConfiguration.awsvpcConfiguration.subnets[0]",
          "TemplatePlaceholder",
          "{{ tfstate `aws_subnet.private-a.id` }}");
    }
  }
}
