package dev.tidewater.api;

import static dev.tidewater.testing.EcsCorpus.EMPTY_ENUM_FIELDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.ExampleResource;
import dev.tidewater.testing.JsonTrees;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs make the real API server reject each kind of bad input the schema can express
 * — required fields, enums, ranges, patterns, list sizes, duplicate list-map keys and every CEL
 * rule — with HTTP 422 and a message naming the field, and accept every example and the ECS unit
 * forms.
 *
 * <h2>Which invalid input only the validator catches</h2>
 *
 * <p>The schema sees one resource and keeps CEL cheap, so these pass the API server and are left to
 * {@code TaskDefinitionValidator} ({@code ValidatorOnlyCasesIT} shows the API server accepting
 * each; {@code docs/schema-validation.md} says why each stays out of the schema):
 *
 * <ul>
 *   <li>task cpu / memory combinations Fargate does not offer ({@code cpu: "256"} with {@code
 *       memory: "4 GB"}), and cpu / memory values outside the ECS ranges;
 *   <li>{@code dependsOn} cycles, and {@code dependsOn} naming a container that does not exist;
 *   <li>{@code mountPoints[].sourceVolume} naming a volume the task does not have, {@code
 *       volumesFrom[].sourceContainer} naming a missing container, {@code
 *       proxyConfiguration.containerName} naming a missing container;
 *   <li>the EC2 memory rule: without task memory, every container needs {@code memory} or {@code
 *       memoryReservation};
 *   <li>container memory above the task memory;
 *   <li>the same host port (and protocol) used twice across containers, the same port mapping name
 *       used twice in a task;
 *   <li>the form of {@code secrets[].valueFrom} (Secrets Manager ARN with optional JSON key /
 *       version, SSM parameter ARN or name);
 *   <li>GPUs ({@code resourceRequirements} type GPU) or privileged containers on Fargate;
 *   <li>{@code containerPortRange} with start above end, or beyond 65535;
 *   <li>settings awsvpc does not support: {@code links}, {@code hostname};
 *   <li>the {@code awsfirelens} log driver without a container carrying {@code
 *       firelensConfiguration}.
 * </ul>
 */
class SchemaValidationIT {

  private static final String API_VERSION = "ecs.tidewater.dev/v1alpha1";

  private static TestGround ground;
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void setUp() {
    ground = TestGround.get();
    client = ground.admin();
    Crds.apply(client);
    ns = ground.createNamespace("schema");
  }

  @AfterAll
  static void tearDown() {
    if (ns != null) ground.deleteNamespace(ns);
  }

  /** One bad resource: an example with overrides, and fragments the API server must say. */
  record Rejected(String what, String example, String overrides, List<String> says) {
    Rejected(String what, String example, String overrides, String... says) {
      this(what, example, overrides, List.of(says));
    }

    @Override
    public String toString() {
      return example + ": " + what;
    }
  }

  static Stream<Rejected> taskDefinitions() {
    String td = "taskdefinition";
    String eleven =
        IntStream.range(0, 11)
            .mapToObj(i -> "{name: c" + i + ", image: busybox}")
            .collect(Collectors.joining(", ", "[", "]"));
    return Stream.of(
        // required
        new Rejected(
            "containerDefinitions is required",
            td,
            "spec.containerDefinitions: null",
            "spec.containerDefinitions: Required value"),
        new Rejected(
            "a container needs a name",
            td,
            "spec.containerDefinitions[1].name: null",
            "spec.containerDefinitions[1].name: Required value"),
        new Rejected(
            "a container needs an image",
            td,
            "spec.containerDefinitions[0].image: null",
            "spec.containerDefinitions[0].image: Required value"),
        new Rejected(
            "a secret needs valueFrom",
            td,
            "spec.containerDefinitions[0].secrets[0].valueFrom: null",
            "spec.containerDefinitions[0].secrets[0].valueFrom: Required value"),
        new Rejected(
            "a health check needs a command",
            td,
            "spec.containerDefinitions[0].healthCheck.command: null",
            "spec.containerDefinitions[0].healthCheck.command: Required value"),
        // enums
        new Rejected(
            "networkMode is an ECS network mode",
            td,
            "spec.networkMode: nat",
            "spec.networkMode: Unsupported value: \"nat\"",
            "\"bridge\", \"host\", \"awsvpc\", \"none\""),
        new Rejected(
            "protocol is tcp or udp",
            td,
            "spec.containerDefinitions[0].portMappings[0].protocol: sctp",
            "spec.containerDefinitions[0].portMappings[0].protocol: Unsupported value: \"sctp\""),
        new Rejected(
            "logDriver is an ECS log driver",
            td,
            "spec.containerDefinitions[0].logConfiguration.logDriver: cloudwatch",
            "spec.containerDefinitions[0].logConfiguration.logDriver: Unsupported value:"
                + " \"cloudwatch\""),
        new Rejected(
            "requiresCompatibilities items are launch types",
            td,
            "spec.requiresCompatibilities: [FARGATE, LAMBDA]",
            "spec.requiresCompatibilities[1]: Unsupported value: \"LAMBDA\""),
        new Rejected(
            "dependsOn condition is START, COMPLETE, SUCCESS or HEALTHY",
            td,
            "spec.containerDefinitions[1].dependsOn[0].condition: READY",
            "spec.containerDefinitions[1].dependsOn[0].condition: Unsupported value: \"READY\""),
        new Rejected(
            "cpuArchitecture is X86_64 or ARM64",
            td,
            "spec.runtimePlatform.cpuArchitecture: AMD64",
            "spec.runtimePlatform.cpuArchitecture: Unsupported value: \"AMD64\""),
        // ranges
        new Rejected(
            "containerPort is at most 65535",
            td,
            "spec.containerDefinitions[0].portMappings[0].containerPort: 65536"
                + "\nspec.containerDefinitions[0].portMappings[0].hostPort: null",
            "spec.containerDefinitions[0].portMappings[0].containerPort: Invalid value: 65536",
            "should be less than or equal to 65535"),
        new Rejected(
            "hostPort is at least 0",
            td,
            "spec.containerDefinitions[0].portMappings[0].hostPort: -1",
            "spec.containerDefinitions[0].portMappings[0].hostPort: Invalid value: -1",
            "should be greater than or equal to 0"),
        new Rejected(
            "healthCheck interval is at least 5",
            td,
            "spec.containerDefinitions[0].healthCheck.interval: 4",
            "spec.containerDefinitions[0].healthCheck.interval: Invalid value: 4",
            "should be greater than or equal to 5"),
        new Rejected(
            "healthCheck interval is at most 300",
            td,
            "spec.containerDefinitions[0].healthCheck.interval: 301",
            "spec.containerDefinitions[0].healthCheck.interval: Invalid value: 301",
            "should be less than or equal to 300"),
        new Rejected(
            "ephemeralStorage is at least 21 GiB",
            td,
            "spec.ephemeralStorage.sizeInGiB: 20",
            "spec.ephemeralStorage.sizeInGiB: Invalid value: 20",
            "should be greater than or equal to 21"),
        new Rejected(
            "ephemeralStorage is at most 200 GiB",
            td,
            "spec.ephemeralStorage.sizeInGiB: 201",
            "spec.ephemeralStorage.sizeInGiB: Invalid value: 201",
            "should be less than or equal to 200"),
        new Rejected(
            "container memory is at least 6 MiB",
            td,
            "spec.containerDefinitions[1].memoryReservation: 5",
            "spec.containerDefinitions[1].memoryReservation: Invalid value: 5",
            "should be greater than or equal to 6"),
        // patterns
        new Rejected(
            "container names are letters, digits, - and _",
            td,
            "spec.containerDefinitions[1].name: side car",
            "spec.containerDefinitions[1].name: Invalid value: \"side car\"",
            "should match '^[a-zA-Z0-9_-]{1,255}$'"),
        new Rejected(
            "task cpu is units or vCPU, not GB",
            td,
            "spec.cpu: 1 GB",
            "spec.cpu: Invalid value: \"1 GB\"",
            "should match"),
        new Rejected(
            "task memory is MiB or GB, not vCPU",
            td,
            "spec.memory: 1 vCPU",
            "spec.memory: Invalid value: \"1 vCPU\"",
            "should match"),
        new Rejected(
            "family is letters, digits, - and _",
            td,
            "spec.family: web/v2",
            "spec.family: Invalid value: \"web/v2\"",
            "should match '^[a-zA-Z0-9_-]{1,255}$'"),
        new Rejected(
            "port mapping names are lower case",
            td,
            "spec.containerDefinitions[0].portMappings[0].name: HTTP",
            "spec.containerDefinitions[0].portMappings[0].name: Invalid value: \"HTTP\"",
            "should match"),
        new Rejected(
            "containerPortRange is start-end",
            td,
            "spec.containerDefinitions[0].portMappings[1]: {containerPortRange: '9000:9100'}",
            "spec.containerDefinitions[0].portMappings[1].containerPortRange: Invalid value:"
                + " \"9000:9100\""),
        // list sizes
        new Rejected(
            "at most 10 containers",
            td,
            "spec.containerDefinitions: " + eleven,
            "spec.containerDefinitions: Too many: 11: must have at most 10 items"),
        new Rejected(
            "at least 1 container",
            td,
            "spec.containerDefinitions: []",
            "spec.containerDefinitions: Invalid value: 0",
            "should have at least 1 items"),
        // list-map keys
        new Rejected(
            "container names are unique",
            td,
            "spec.containerDefinitions[2]: {name: web, image: busybox}",
            "spec.containerDefinitions[2]: Duplicate value: {\"name\":\"web\"}"),
        new Rejected(
            "environment names are unique",
            td,
            "spec.containerDefinitions[0].environment[2]: {name: LOG_LEVEL, value: debug}",
            "spec.containerDefinitions[0].environment[2]: Duplicate value:"
                + " {\"name\":\"LOG_LEVEL\"}"),
        new Rejected(
            "secret names are unique",
            td,
            "spec.containerDefinitions[0].secrets[1]: {name: API_TOKEN, valueFrom: other}",
            "spec.containerDefinitions[0].secrets[1]: Duplicate value:"
                + " {\"name\":\"API_TOKEN\"}"),
        new Rejected(
            "volume names are unique",
            td,
            "spec.volumes: [{name: data}, {name: data}]",
            "spec.volumes[1]: Duplicate value: {\"name\":\"data\"}"),
        new Rejected(
            "ulimit names are unique",
            td,
            "spec.containerDefinitions[0].ulimits: [{name: nofile, softLimit: 1, hardLimit: 2},"
                + " {name: nofile, softLimit: 3, hardLimit: 4}]",
            "spec.containerDefinitions[0].ulimits[1]: Duplicate value:" + " {\"name\":\"nofile\"}"),
        new Rejected(
            "dependsOn names a container once",
            td,
            "spec.containerDefinitions[1].dependsOn[1]: {containerName: web, condition: HEALTHY}",
            "spec.containerDefinitions[1].dependsOn[1]: Duplicate value:"
                + " {\"containerName\":\"web\"}"),
        // CEL
        new Rejected(
            "under awsvpc hostPort equals containerPort",
            td,
            "spec.containerDefinitions[0].portMappings[0].hostPort: 80",
            "spec.containerDefinitions: Invalid value: under networkMode awsvpc,"
                + " portMappings[].hostPort must equal containerPort"),
        new Rejected(
            "under awsvpc hostPort 0 is not dynamic",
            td,
            "spec.containerDefinitions[0].portMappings[0].hostPort: 0",
            "under networkMode awsvpc, portMappings[].hostPort must equal containerPort"),
        new Rejected(
            "taskRoleArn and taskRoleRef exclude each other",
            td,
            "spec.taskRoleArn: arn:aws:iam::123456789012:role/web",
            "spec.taskRoleRef: Forbidden: set taskRoleArn or taskRoleRef, not both"),
        new Rejected(
            "executionRoleArn and executionRoleRef exclude each other",
            td,
            "spec.executionRoleArn: ecsTaskExecutionRole\nspec.executionRoleRef: {name: exec}",
            "spec.executionRoleRef: Forbidden: set executionRoleArn or executionRoleRef, not both"),
        new Rejected(
            "at least one container is essential",
            td,
            "spec.containerDefinitions[0].essential: false",
            "spec.containerDefinitions: Invalid value: at least one container must be"
                + " essential"),
        new Rejected(
            "a port mapping has containerPort or containerPortRange",
            td,
            "spec.containerDefinitions[0].portMappings[0]: {name: http, protocol: tcp}",
            "spec.containerDefinitions[0].portMappings[0].containerPort: Required value:"
                + " containerPort or containerPortRange is required"),
        new Rejected(
            "memoryReservation is at most memory",
            td,
            "spec.containerDefinitions[1].memory: 64",
            "spec.containerDefinitions[1].memoryReservation: Invalid value: memoryReservation must"
                + " not exceed memory"),
        new Rejected(
            "FARGATE needs awsvpc",
            td,
            "spec.networkMode: bridge",
            "spec.networkMode: Invalid value: requiresCompatibilities FARGATE needs"
                + " networkMode awsvpc"),
        new Rejected(
            "FARGATE needs networkMode set",
            td,
            "spec.networkMode: null",
            "requiresCompatibilities FARGATE needs networkMode awsvpc"));
  }

  static Stream<Rejected> services() {
    String svc = "service";
    return Stream.of(
        new Rejected(
            "taskDefinitionRef is required",
            svc,
            "spec.taskDefinitionRef: null",
            "spec.taskDefinitionRef: Required value"),
        new Rejected(
            "taskDefinitionRef needs a name",
            svc,
            "spec.taskDefinitionRef: {revision: 3}",
            "spec.taskDefinitionRef.name: Required value"),
        new Rejected(
            "launchType is an ECS launch type",
            svc,
            "spec.launchType: LAMBDA",
            "spec.launchType: Unsupported value: \"LAMBDA\""),
        new Rejected(
            "schedulingStrategy is REPLICA or DAEMON",
            svc,
            "spec.schedulingStrategy: SINGLETON",
            "spec.schedulingStrategy: Unsupported value: \"SINGLETON\""),
        new Rejected(
            "assignPublicIp is ENABLED or DISABLED",
            svc,
            "spec.networkConfiguration.awsvpcConfiguration.assignPublicIp: 'YES'",
            "spec.networkConfiguration.awsvpcConfiguration.assignPublicIp: Unsupported value:"
                + " \"YES\""),
        new Rejected(
            "desiredCount is at least 0",
            svc,
            "spec.desiredCount: -1\nspec.autoscaling: null",
            "spec.desiredCount: Invalid value: -1",
            "should be greater than or equal to 0"),
        new Rejected(
            "a pinned revision is at least 1",
            svc,
            "spec.taskDefinitionRef.revision: 0",
            "spec.taskDefinitionRef.revision: Invalid value: 0",
            "should be greater than or equal to 1"),
        new Rejected(
            "autoscaling maxTasks is at least 1",
            svc,
            "spec.autoscaling.maxTasks: 0\nspec.autoscaling.minTasks: 0\nspec.desiredCount: 0",
            "spec.autoscaling.maxTasks: Invalid value: 0",
            "should be greater than or equal to 1"),
        new Rejected(
            "autoscaling minTasks is at least 0",
            svc,
            "spec.autoscaling.minTasks: -1",
            "spec.autoscaling.minTasks: Invalid value: -1",
            "should be greater than or equal to 0"),
        new Rejected(
            "autoscaling target is at most 100 %",
            svc,
            "spec.autoscaling.targetCpuUtilization: 101",
            "spec.autoscaling.targetCpuUtilization: Invalid value: 101",
            "should be less than or equal to 100"),
        new Rejected(
            "minimumHealthyPercent is at most 100",
            svc,
            "spec.deploymentConfiguration.minimumHealthyPercent: 101",
            "spec.deploymentConfiguration.minimumHealthyPercent: Invalid value: 101",
            "should be less than or equal to 100"),
        new Rejected(
            "at most 5 security groups",
            svc,
            "spec.networkConfiguration.awsvpcConfiguration.securityGroups: [sg-1, sg-2, sg-3, sg-4,"
                + " sg-5, sg-6]",
            "spec.networkConfiguration.awsvpcConfiguration.securityGroups: Too many: 6: must have"
                + " at most 5 items"),
        new Rejected(
            "capacity providers are unique",
            svc,
            "spec.launchType: null\nspec.capacityProviderStrategy: [{capacityProvider: FARGATE,"
                + " weight: 1}, {capacityProvider: FARGATE, weight: 2}]",
            "spec.capacityProviderStrategy[1]: Duplicate value:"
                + " {\"capacityProvider\":\"FARGATE\"}"),
        new Rejected(
            "launchType and capacityProviderStrategy exclude each other",
            svc,
            "spec.capacityProviderStrategy: [{capacityProvider: FARGATE_SPOT, weight: 1}]",
            "spec.capacityProviderStrategy: Forbidden: set launchType or capacityProviderStrategy,"
                + " not both"),
        new Rejected(
            "a DAEMON service has no desiredCount",
            svc,
            "spec.schedulingStrategy: DAEMON\nspec.launchType: EC2\nspec.autoscaling: null",
            "spec.schedulingStrategy: Forbidden: a DAEMON service runs one task per node:"
                + " desiredCount and autoscaling do not apply"),
        new Rejected(
            "a DAEMON service has no autoscaling",
            svc,
            "spec.schedulingStrategy: DAEMON\nspec.launchType: EC2\nspec.desiredCount: null",
            "spec.schedulingStrategy: Forbidden: a DAEMON service runs one task per node"),
        new Rejected(
            "a DAEMON service does not run on FARGATE",
            svc,
            "spec.schedulingStrategy: DAEMON\nspec.desiredCount: null\nspec.autoscaling: null",
            "spec.schedulingStrategy: Invalid value: FARGATE does not run DAEMON" + " services"),
        new Rejected(
            "desiredCount is at most autoscaling maxTasks",
            svc,
            "spec.desiredCount: 7",
            "spec.desiredCount: Invalid value: desiredCount must lie between"
                + " autoscaling.minTasks and autoscaling.maxTasks"),
        new Rejected(
            "desiredCount is at least autoscaling minTasks",
            svc,
            "spec.desiredCount: 1",
            "spec.desiredCount: Invalid value: desiredCount must lie between"),
        new Rejected(
            "minTasks is at most maxTasks",
            svc,
            "spec.autoscaling.minTasks: 7\nspec.desiredCount: null",
            "spec.autoscaling.minTasks: Invalid value: minTasks must not exceed" + " maxTasks"),
        new Rejected(
            "autoscaling needs a target",
            svc,
            "spec.autoscaling.targetCpuUtilization: null",
            "spec.autoscaling: Required value: set targetCpuUtilization, targetMemoryUtilization"
                + " or both"));
  }

  static Stream<Rejected> clusters() {
    String cl = "cluster";
    return Stream.of(
        new Rejected(
            "backend is kubernetes or ecs",
            cl,
            "spec.backend: docker",
            "spec.backend: Unsupported value: \"docker\"",
            "\"kubernetes\", \"ecs\""),
        new Rejected(
            "routing mode is ingress, aws or gateway",
            cl,
            "spec.routing.mode: nginx",
            "spec.routing.mode: Unsupported value: \"nginx\""),
        new Rejected(
            "eks identity is irsa or podIdentity",
            cl,
            "spec.eks.identity: kiam",
            "spec.eks.identity: Unsupported value: \"kiam\""),
        new Rejected(
            "assumeRoleArn is a role ARN",
            cl,
            "spec.aws.assumeRoleArn: arn:aws:iam::123456789012:user/ops",
            "spec.aws.assumeRoleArn: Invalid value: \"arn:aws:iam::123456789012:user/ops\"",
            "should match"),
        new Rejected(
            "assumeRoleArn has a 12-digit account",
            cl,
            "spec.aws.assumeRoleArn: arn:aws:iam::1234:role/ops",
            "spec.aws.assumeRoleArn: Invalid value: \"arn:aws:iam::1234:role/ops\""),
        new Rejected(
            "rolePath starts and ends with /",
            cl,
            "spec.guardrails.rolePath: tidewater",
            "spec.guardrails.rolePath: Invalid value: \"tidewater\"",
            "should match"),
        new Rejected(
            "region is a region name",
            cl,
            "spec.aws.region: US East",
            "spec.aws.region: Invalid value: \"US East\""),
        new Rejected(
            "endpoint is an http(s) URL",
            cl,
            "spec.aws.endpoint: localhost:5000",
            "spec.aws.endpoint: Invalid value: \"localhost:5000\""),
        new Rejected(
            "ecs clusterName is letters, digits, - and _",
            cl,
            "spec.ecs.clusterName: prod cluster",
            "spec.ecs.clusterName: Invalid value: \"prod cluster\""),
        new Rejected(
            "irsa needs oidcProviderArn",
            cl,
            "spec.eks: {identity: irsa}",
            "spec.eks.oidcProviderArn: Required value: identity irsa needs oidcProviderArn"),
        new Rejected(
            "podIdentity needs clusterName",
            cl,
            "spec.eks: {identity: podIdentity}",
            "spec.eks.clusterName: Required value: identity podIdentity needs clusterName"),
        new Rejected(
            "gateway mode needs gatewayRef",
            cl,
            "spec.routing: {mode: gateway}",
            "spec.routing.gatewayRef: Required value: mode gateway needs gatewayRef"));
  }

  static Stream<Rejected> loadBalancerRoutes() {
    String lb = "loadbalancerroute";
    return Stream.of(
        new Rejected(
            "loadBalancer, listener and target are required",
            lb,
            "spec.loadBalancer: null\nspec.listener: null\nspec.target: null",
            "spec.loadBalancer: Required value",
            "spec.listener: Required value",
            "spec.target: Required value"),
        new Rejected(
            "a rule needs conditions",
            lb,
            "spec.rules[1].conditions: null",
            "spec.rules[1].conditions: Required value"),
        new Rejected(
            "target containerPort is required",
            lb,
            "spec.target.containerPort: null",
            "spec.target.containerPort: Required value"),
        new Rejected(
            "priority is at least 1",
            lb,
            "spec.rules[0].priority: 0",
            "spec.rules[0].priority: Invalid value: 0",
            "should be greater than or equal to 1"),
        new Rejected(
            "priority is at most 50000",
            lb,
            "spec.rules[0].priority: 50001",
            "spec.rules[0].priority: Invalid value: 50001",
            "should be less than or equal to 50000"),
        new Rejected(
            "listener port is 1-65535",
            lb,
            "spec.listener.port: 0",
            "spec.listener.port: Invalid value: 0",
            "should be greater than or equal to 1"),
        new Rejected(
            "load balancer type is application or network",
            lb,
            "spec.loadBalancer.type: classic",
            "spec.loadBalancer.type: Unsupported value: \"classic\""),
        new Rejected(
            "listener protocol is an ELB protocol",
            lb,
            "spec.listener.protocol: GRPC",
            "spec.listener.protocol: Unsupported value: \"GRPC\""),
        new Rejected(
            "at most 5 path patterns",
            lb,
            "spec.rules[1].conditions.pathPatterns: [/a, /b, /c, /d, /e, /f]",
            "spec.rules[1].conditions.pathPatterns: Too many: 6: must have at most 5 items"),
        new Rejected(
            "an empty condition list is no condition",
            lb,
            "spec.rules[1].conditions.pathPatterns: []",
            "spec.rules[1].conditions.pathPatterns: Invalid value: 0",
            "should have at least 1 items"),
        new Rejected(
            "priorities are unique",
            lb,
            "spec.rules[1].priority: 10",
            "spec.rules",
            "rule priorities must be unique"),
        new Rejected(
            "load balancer name or arn",
            lb,
            "spec.loadBalancer: {type: application}",
            "spec.loadBalancer: Invalid value: name or arn is required"),
        new Rejected(
            "listener arn or port",
            lb,
            "spec.listener: {protocol: HTTPS}",
            "spec.listener: Invalid value: arn or port is required"),
        new Rejected(
            "an application load balancer needs a rule",
            lb,
            "spec.rules: null",
            "spec.rules: Required value: an application load balancer route needs at least one"
                + " rule"),
        new Rejected(
            "application is the default type and needs a rule too",
            lb,
            "spec.loadBalancer.type: null\nspec.rules: []",
            "spec.rules: Required value: an application load balancer route needs at least one"
                + " rule"),
        new Rejected(
            "a network load balancer has no rules",
            lb,
            "spec.loadBalancer.type: network\nspec.listener.protocol: TCP",
            "spec.rules: Forbidden: a network load balancer has no listener rules"),
        new Rejected(
            "every rule needs a condition",
            lb,
            "spec.rules[1].conditions: {}",
            "spec.rules: Invalid value: every rule needs at least one condition"));
  }

  static Stream<Rejected> taskRoles() {
    String tr = "taskrole";
    return Stream.of(
        new Rejected(
            "an inline policy needs a document",
            tr,
            "spec.inlinePolicies[0].document: null",
            "spec.inlinePolicies[0].document: Required value"),
        new Rejected(
            "an inline policy needs a name",
            tr,
            "spec.inlinePolicies[0].name: null",
            "spec.inlinePolicies[0].name: Required value"),
        new Rejected(
            "policy names are IAM names",
            tr,
            "spec.inlinePolicies[0].name: read assets",
            "spec.inlinePolicies[0].name: Invalid value: \"read assets\""),
        new Rejected(
            "policy names are unique",
            tr,
            "spec.inlinePolicies[1]: {name: read-assets, document: {Version: '2012-10-17'}}",
            "spec.inlinePolicies[1]: Duplicate value:" + " {\"name\":\"read-assets\"}"),
        new Rejected(
            "maxSessionDurationSeconds is at least 3600",
            tr,
            "spec.maxSessionDurationSeconds: 3599",
            "spec.maxSessionDurationSeconds: Invalid value: 3599"),
        new Rejected(
            "serviceAccountName is a DNS subdomain",
            tr,
            "spec.serviceAccountName: Web_Tasks",
            "spec.serviceAccountName: Invalid value: \"Web_Tasks\""),
        new Rejected(
            "deletionPolicy is Delete or Retain",
            tr,
            "spec.deletionPolicy: Orphan",
            "spec.deletionPolicy: Unsupported value: \"Orphan\""));
  }

  static Stream<Rejected> rejected() {
    return Stream.of(taskDefinitions(), services(), clusters(), loadBalancerRoutes(), taskRoles())
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void apiServerRejects(Rejected c) {
    GenericKubernetesResource resource =
        resource(ExampleResource.with(c.example(), c.overrides()), "invalid");

    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.resource(resource).inNamespace(ns).dryRun().create());

    assertThat(e).as("the API server accepted %s", c).isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
    String message = e.getStatus().getMessage();
    assertThat(message).contains(c.says());
  }

  static Stream<Path> examples() {
    return ExampleResource.files().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsAcceptedAndStoredAsWritten(Path example) {
    assertAcceptedAsWritten(ExampleResource.read(example));
  }

  /** A valid resource: the example a case starts from, and overrides the schema must allow. */
  record Accepted(String what, String example, String overrides) {
    @Override
    public String toString() {
      return example + ": " + what;
    }
  }

  static Stream<Accepted> accepted() {
    String td = "taskdefinition";
    return Stream.of(
        new Accepted("cpu in units, memory in MiB", td, "spec.cpu: '1024'\nspec.memory: '2048'"),
        new Accepted("1 vCPU and 2 GB", td, "spec.cpu: 1 vCPU\nspec.memory: 2 GB"),
        new Accepted("fractions, any case", td, "spec.cpu: 0.25 vcpu\nspec.memory: 0.5GB"),
        new Accepted("MiB and GiB suffixes", td, "spec.cpu: 2vCPU\nspec.memory: 4096 MiB"),
        new Accepted("GiB suffix", td, "spec.memory: 4 GiB"),
        new Accepted(
            "a port range instead of a port",
            td,
            "spec.containerDefinitions[1].portMappings: [{containerPortRange: 9000-9100}]"),
        new Accepted(
            "bridge mode on EC2 with a dynamic host port",
            td,
            "spec.requiresCompatibilities: [EC2]\nspec.networkMode: bridge"
                + "\nspec.containerDefinitions[0].portMappings[0].hostPort: 0"),
        new Accepted(
            "memoryReservation equal to memory", td, "spec.containerDefinitions[1].memory: 128"),
        new Accepted(
            "role ARN in another partition",
            "cluster",
            "spec.aws: {assumeRoleArn: 'arn:aws-us-gov:iam::123456789012:role/path/deployer',"
                + " region: us-gov-west-1}"),
        new Accepted(
            "role ARN in the China partition",
            "cluster",
            "spec.aws: {assumeRoleArn: 'arn:aws-cn:iam::123456789012:role/deployer', region:"
                + " cn-north-1}"),
        new Accepted(
            "irsa with an OIDC provider ARN",
            "cluster",
            "spec.eks: {identity: irsa, oidcProviderArn:"
                + " 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC'}"),
        new Accepted("the root role path", "cluster", "spec.guardrails.rolePath: /"),
        new Accepted(
            "a DAEMON service on EC2",
            "service",
            "spec.schedulingStrategy: DAEMON\nspec.launchType: EC2\nspec.desiredCount: null"
                + "\nspec.autoscaling: null"),
        new Accepted(
            "a network load balancer without rules",
            "loadbalancerroute",
            "spec.loadBalancer.type: network\nspec.listener.protocol: TCP\nspec.rules: null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void apiServerAccepts(Accepted c) {
    assertAcceptedAsWritten(ExampleResource.with(c.example(), c.overrides()));
  }

  private void assertAcceptedAsWritten(Map<String, Object> tree) {
    String name = "ok-" + UUID.randomUUID().toString().substring(0, 8);
    GenericKubernetesResource sent = resource(tree, name);

    GenericKubernetesResource stored = client.resource(sent).inNamespace(ns).create();

    assertThat(stored.getAdditionalProperties().get("spec"))
        .as("the stored spec is exactly the applied one: no defaults, nothing pruned")
        .isEqualTo(sent.getAdditionalProperties().get("spec"));
  }

  // Eligible: the corpus's own classification, files SOURCES.tsv marks neither templated nor
  // invalid-json (templated files hold placeholders such as {{ must_env `NAME` }} in patterned
  // fields).
  static Stream<String> corpusTaskDefinitions() {
    return EcsCorpus.notes().entrySet().stream()
        .filter(e -> !e.getValue().contains("templated") && !e.getValue().contains("invalid-json"))
        .map(Map.Entry::getKey);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusTaskDefinitions")
  @SuppressWarnings("unchecked")
  void realTaskDefinitionsPassTheSchema(String file) {
    // Unwrapped, without describe-only fields, nulls and the "" ECS output writes for an unset enum
    JsonNode json = JsonTrees.withoutEmptyStrings(EcsCorpus.entry(file).json(), EMPTY_ENUM_FIELDS);
    Map<String, Object> spec = Serialization.jsonMapper().convertValue(json, Map.class);
    // ECS takes task cpu and memory as numbers or strings; the CRD keeps ECS's string form
    spec.computeIfPresent("cpu", (k, v) -> v.toString());
    spec.computeIfPresent("memory", (k, v) -> v.toString());
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("apiVersion", API_VERSION);
    tree.put("kind", "TaskDefinition");
    tree.put("metadata", new LinkedHashMap<>());
    tree.put("spec", spec);

    GenericKubernetesResource accepted =
        client.resource(resource(tree, "corpus")).inNamespace(ns).dryRun().create();

    assertThat(
            (List<Object>) ((Map<String, Object>) accepted.get("spec")).get("containerDefinitions"))
        .hasSameSizeAs((List<Object>) spec.get("containerDefinitions"));
  }

  static GenericKubernetesResource resource(Map<String, Object> tree, String name) {
    GenericKubernetesResource r =
        Serialization.jsonMapper().convertValue(tree, GenericKubernetesResource.class);
    assertThat(r.getApiVersion()).isEqualTo(API_VERSION);
    r.getMetadata().setName(name.toLowerCase(Locale.ROOT));
    r.getMetadata().setNamespace(ns);
    return r;
  }
}
