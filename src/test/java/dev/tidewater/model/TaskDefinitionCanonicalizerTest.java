package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.NeedsEcsCorpus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskDefinitionCanonicalizerTest {

  private static final ObjectMapper STRICT = new ObjectMapper();
  private final TaskDefinitionCanonicalizer canonicalizer = new TaskDefinitionCanonicalizer();

  // --- same task, same hash ----------------------------------------------------------------

  static Stream<Arguments> sameTask() {
    return Stream.of(
        arguments(
            "environment reordered",
            web("\"environment\": [{\"name\": \"A\", \"value\": \"1\"}, {\"name\": \"B\"}]"),
            web("\"environment\": [{\"name\": \"B\"}, {\"name\": \"A\", \"value\": \"1\"}]")),
        arguments(
            "secrets reordered",
            web(
                "\"secrets\": [{\"name\": \"DB\", \"valueFrom\": \"arn:db\"},"
                    + " {\"name\": \"API\", \"valueFrom\": \"arn:api\"}]"),
            web(
                "\"secrets\": [{\"name\": \"API\", \"valueFrom\": \"arn:api\"},"
                    + " {\"name\": \"DB\", \"valueFrom\": \"arn:db\"}]")),
        arguments(
            "dockerLabels reordered",
            web("\"dockerLabels\": {\"b\": \"2\", \"a\": \"1\"}"),
            web("\"dockerLabels\": {\"a\": \"1\", \"b\": \"2\"}")),
        arguments(
            "ulimits reordered",
            web(
                "\"ulimits\": [{\"name\": \"nofile\", \"softLimit\": 1024, \"hardLimit\": 4096},"
                    + " {\"name\": \"core\", \"softLimit\": 0, \"hardLimit\": 0}]"),
            web(
                "\"ulimits\": [{\"name\": \"core\", \"softLimit\": 0, \"hardLimit\": 0},"
                    + " {\"name\": \"nofile\", \"softLimit\": 1024, \"hardLimit\": 4096}]")),
        arguments(
            "requiresCompatibilities reordered",
            task(
                "\"networkMode\": \"awsvpc\", \"requiresCompatibilities\": [\"FARGATE\", \"EC2\"]",
                WEB),
            task(
                "\"networkMode\": \"awsvpc\", \"requiresCompatibilities\": [\"EC2\", \"FARGATE\"]",
                WEB)),
        arguments(
            "tags reordered",
            task("\"tags\": [{\"key\": \"b\", \"value\": \"2\"}, {\"key\": \"a\"}]", WEB),
            task("\"tags\": [{\"key\": \"a\"}, {\"key\": \"b\", \"value\": \"2\"}]", WEB)),
        arguments(
            "containers reordered", task("", WEB + ", " + SIDECAR), task("", SIDECAR + ", " + WEB)),
        arguments(
            "log options reordered",
            web(
                "\"logConfiguration\": {\"logDriver\": \"awslogs\","
                    + " \"options\": {\"awslogs-group\": \"g\", \"awslogs-region\": \"r\"}}"),
            web(
                "\"logConfiguration\": {\"logDriver\": \"awslogs\","
                    + " \"options\": {\"awslogs-region\": \"r\", \"awslogs-group\": \"g\"}}")),
        arguments(
            "capabilities reordered",
            web(
                "\"linuxParameters\": {\"capabilities\": {\"add\": [\"SYS_PTRACE\", \"NET_ADMIN\"]}}"),
            web(
                "\"linuxParameters\": {\"capabilities\": {\"add\": [\"NET_ADMIN\", \"SYS_PTRACE\"]}}")),
        arguments("essential true explicit", web("\"essential\": true"), web("")),
        arguments("container cpu 0 explicit", web("\"cpu\": 0"), web("")),
        arguments(
            "versionConsistency enabled explicit",
            web("\"versionConsistency\": \"enabled\""),
            web("")),
        arguments(
            "protocol tcp explicit",
            web("\"portMappings\": [{\"containerPort\": 80, \"protocol\": \"tcp\"}]"),
            web("\"portMappings\": [{\"containerPort\": 80}]")),
        arguments(
            "bridge hostPort 0 is dynamic like an absent one",
            web("\"portMappings\": [{\"containerPort\": 80, \"hostPort\": 0}]"),
            web("\"portMappings\": [{\"containerPort\": 80}]")),
        arguments(
            "awsvpc hostPort equal to containerPort explicit",
            task(
                "\"networkMode\": \"awsvpc\"",
                container("\"portMappings\": [{\"containerPort\": 80, \"hostPort\": 80}]")),
            task(
                "\"networkMode\": \"awsvpc\"",
                container("\"portMappings\": [{\"containerPort\": 80}]"))),
        arguments(
            "networkMode bridge on EC2 explicit",
            task("\"networkMode\": \"bridge\"", WEB),
            task("", WEB)),
        arguments(
            "requiresCompatibilities EC2 explicit",
            task("\"requiresCompatibilities\": [\"EC2\"]", WEB),
            task("", WEB)),
        arguments(
            "cpu in vCPU and memory in GB",
            task("\"cpu\": \"1 vCPU\", \"memory\": \"2 GB\"", WEB),
            task("\"cpu\": \"1024\", \"memory\": \"2048\"", WEB)),
        arguments(
            "health check defaults explicit",
            web(
                "\"healthCheck\": {\"command\": [\"CMD\", \"true\"], \"interval\": 30,"
                    + " \"timeout\": 5, \"retries\": 3}"),
            web("\"healthCheck\": {\"command\": [\"CMD\", \"true\"]}")),
        arguments("empty list", web("\"environment\": [], \"mountPoints\": []"), web("")),
        arguments("empty map", web("\"dockerLabels\": {}"), web("")),
        arguments("empty string", task("\"ipcMode\": \"\", \"pidMode\": \"\"", WEB), task("", WEB)),
        arguments(
            "false flags explicit",
            web(
                "\"privileged\": false, \"readonlyRootFilesystem\": false,"
                    + " \"linuxParameters\": {\"initProcessEnabled\": false}"),
            web("")),
        arguments(
            "Tidewater-only fields are not identity",
            task(
                "\"clusterRef\": {\"name\": \"prod\"}, \"revisionHistoryLimit\": 3,"
                    + " \"deletionPolicy\": \"Retain\"",
                WEB),
            task("", WEB)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameTask")
  void sameTaskHasSameHash(String why, String a, String b) {
    assertThat(canonicalizer.hash(spec(a))).isEqualTo(canonicalizer.hash(spec(b)));
    assertThat(canonicalizer.canonicalJson(spec(a)))
        .isEqualTo(canonicalizer.canonicalJson(spec(b)));
  }

  // --- different task, different hash ------------------------------------------------------

  static Stream<Arguments> differentTask() {
    return Stream.of(
        arguments(
            "environment value",
            web("\"environment\": [{\"name\": \"A\", \"value\": \"1\"}]"),
            web("\"environment\": [{\"name\": \"A\", \"value\": \"2\"}]")),
        arguments("image", task("", WEB), task("", WEB.replace("nginx:1.27", "nginx:1.28"))),
        arguments(
            "command order",
            web("\"command\": [\"serve\", \"--port\", \"80\"]"),
            web("\"command\": [\"--port\", \"80\", \"serve\"]")),
        arguments(
            "entryPoint order",
            web("\"entryPoint\": [\"sh\", \"-c\"]"),
            web("\"entryPoint\": [\"-c\", \"sh\"]")),
        arguments(
            "port order",
            web("\"portMappings\": [{\"containerPort\": 80}, {\"containerPort\": 443}]"),
            web("\"portMappings\": [{\"containerPort\": 443}, {\"containerPort\": 80}]")),
        arguments(
            "dnsServers order",
            web("\"dnsServers\": [\"10.0.0.2\", \"10.0.0.3\"]"),
            web("\"dnsServers\": [\"10.0.0.3\", \"10.0.0.2\"]")),
        arguments(
            "environmentFiles order",
            web(
                "\"environmentFiles\": [{\"value\": \"arn:aws:s3:::b/1.env\", \"type\": \"s3\"},"
                    + " {\"value\": \"arn:aws:s3:::b/2.env\", \"type\": \"s3\"}]"),
            web(
                "\"environmentFiles\": [{\"value\": \"arn:aws:s3:::b/2.env\", \"type\": \"s3\"},"
                    + " {\"value\": \"arn:aws:s3:::b/1.env\", \"type\": \"s3\"}]")),
        arguments(
            "extraHosts order for one host name",
            web(
                "\"extraHosts\": [{\"hostname\": \"db\", \"ipAddress\": \"10.0.0.1\"},"
                    + " {\"hostname\": \"db\", \"ipAddress\": \"10.0.0.2\"}]"),
            web(
                "\"extraHosts\": [{\"hostname\": \"db\", \"ipAddress\": \"10.0.0.2\"},"
                    + " {\"hostname\": \"db\", \"ipAddress\": \"10.0.0.1\"}]")),
        arguments("essential false", web("\"essential\": false"), web("")),
        arguments("empty docker label value", web("\"dockerLabels\": {\"a\": \"\"}"), web("")),
        arguments(
            "task role",
            task("\"taskRoleRef\": {\"name\": \"reader\"}", WEB),
            task("\"taskRoleRef\": {\"name\": \"writer\"}", WEB)),
        arguments(
            "tag value",
            task("\"tags\": [{\"key\": \"team\", \"value\": \"a\"}]", WEB),
            task("\"tags\": [{\"key\": \"team\", \"value\": \"b\"}]", WEB)),
        arguments("network mode", task("\"networkMode\": \"host\"", WEB), task("", WEB)),
        arguments(
            "docker volume versus bind mount",
            task("\"volumes\": [{\"name\": \"data\", \"dockerVolumeConfiguration\": {}}]", WEB),
            task("\"volumes\": [{\"name\": \"data\"}]", WEB)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("differentTask")
  void differentTaskHasDifferentHash(String why, String a, String b) {
    assertThat(canonicalizer.hash(spec(a))).isNotEqualTo(canonicalizer.hash(spec(b)));
  }

  // --- the canonical form ------------------------------------------------------------------

  @Test
  void fillsEcsDefaults() {
    TaskDefinitionSpec c =
        canonicalizer.canonicalize(
            spec(
                task(
                    "\"cpu\": \"0.5 vCPU\", \"memory\": \"1 GB\"",
                    container(
                        "\"portMappings\": [{\"containerPort\": 80}],"
                            + " \"healthCheck\": {\"command\": [\"CMD\", \"true\"]}"))));

    assertThat(c.requiresCompatibilities).containsExactly("EC2");
    assertThat(c.networkMode).isEqualTo("bridge");
    assertThat(c.cpu).isEqualTo("512");
    assertThat(c.memory).isEqualTo("1024");
    ContainerDefinition web = c.containerDefinitions.get(0);
    assertThat(web.essential).isTrue();
    assertThat(web.cpu).isZero();
    assertThat(web.versionConsistency).isEqualTo("enabled");
    assertThat(web.portMappings.get(0).protocol).isEqualTo("tcp");
    assertThat(web.portMappings.get(0).hostPort).as("dynamic under bridge").isNull();
    assertThat(web.healthCheck.interval).isEqualTo(30);
    assertThat(web.healthCheck.timeout).isEqualTo(5);
    assertThat(web.healthCheck.retries).isEqualTo(3);
    assertThat(web.healthCheck.startPeriod).isNull();
  }

  @Test
  void hostPortDefaultsToContainerPortUnderAwsvpcAndHost() {
    for (String mode : List.of("awsvpc", "host")) {
      TaskDefinitionSpec c =
          canonicalizer.canonicalize(
              spec(
                  task(
                      "\"networkMode\": \"" + mode + "\"",
                      container("\"portMappings\": [{\"containerPort\": 8080}]"))));
      assertThat(c.containerDefinitions.get(0).portMappings.get(0).hostPort)
          .as(mode)
          .isEqualTo(8080);
    }
  }

  @Test
  void fargateAndWindowsGetNoDefaultNetworkMode() {
    TaskDefinitionSpec fargate =
        canonicalizer.canonicalize(spec(task("\"requiresCompatibilities\": [\"FARGATE\"]", WEB)));
    TaskDefinitionSpec windows =
        canonicalizer.canonicalize(
            spec(
                task(
                    "\"runtimePlatform\": {\"operatingSystemFamily\": \"WINDOWS_SERVER_2022_CORE\"}",
                    WEB)));

    assertThat(fargate.networkMode).isNull();
    assertThat(windows.networkMode).isNull();
  }

  @Test
  void keepsUnparsableCpuAndMemoryForTheValidator() {
    TaskDefinitionSpec c =
        canonicalizer.canonicalize(spec(task("\"cpu\": \"lots\", \"memory\": \"0\"", WEB)));

    assertThat(c.cpu).isEqualTo("lots");
    assertThat(c.memory).isEqualTo("0");
  }

  @Test
  void sortsOrderFreeListsAndKeepsOrderedOnes() {
    TaskDefinitionSpec c =
        canonicalizer.canonicalize(
            spec(
                web(
                    "\"environment\": [{\"name\": \"Z\"}, {\"name\": \"A\"}],"
                        + " \"command\": [\"z\", \"a\"],"
                        + " \"portMappings\": [{\"containerPort\": 9}, {\"containerPort\": 1}],"
                        + " \"dependsOn\": [{\"containerName\": \"z\", \"condition\": \"START\"},"
                        + " {\"containerName\": \"a\", \"condition\": \"START\"}]")));

    ContainerDefinition web = c.containerDefinitions.get(0);
    assertThat(web.environment).extracting(e -> e.name).containsExactly("A", "Z");
    assertThat(web.dependsOn).extracting(d -> d.containerName).containsExactly("a", "z");
    assertThat(web.command).containsExactly("z", "a");
    assertThat(web.portMappings).extracting(p -> p.containerPort).containsExactly(9, 1);
  }

  @Test
  void dropsEmptyValuesButKeepsEmptyCommandArgumentsAndLabelValues() {
    TaskDefinitionSpec c =
        canonicalizer.canonicalize(
            spec(
                task(
                    "\"ipcMode\": \"\", \"volumes\": [{\"name\": \"data\", \"host\": {}}]",
                    container(
                        "\"user\": \"\", \"command\": [\"echo\", \"\"],"
                            + " \"dockerLabels\": {\"flag\": \"\"},"
                            + " \"linuxParameters\": {\"capabilities\": {\"add\": []}}"))));

    assertThat(c.ipcMode).isNull();
    Volume data = c.volumes.get(0);
    assertThat(data.host).as("host: {} is a bind mount with a Docker-managed path").isNull();
    ContainerDefinition web = c.containerDefinitions.get(0);
    assertThat(web.user).isNull();
    assertThat(web.linuxParameters).isNull();
    assertThat(web.command).containsExactly("echo", "");
    assertThat(web.dockerLabels).containsExactly(Map.entry("flag", ""));
  }

  @Test
  void canonicalizeDoesNotMutateItsInput() throws JsonProcessingException {
    TaskDefinitionSpec input = spec(RICH);
    String before = STRICT.writeValueAsString(input);

    TaskDefinitionSpec canonical = canonicalizer.canonicalize(input);

    assertThat(STRICT.writeValueAsString(input)).isEqualTo(before);
    assertThat(canonical).isNotSameAs(input);
    assertThat(canonical.containerDefinitions).isNotSameAs(input.containerDefinitions);
    assertThat(input.clusterRef).isNotNull();
    assertThat(canonical.clusterRef).isNull();
  }

  @Test
  void canonicalizeIsIdempotent() {
    TaskDefinitionSpec once = canonicalizer.canonicalize(spec(RICH));

    assertThat(canonicalizer.canonicalJson(once))
        .isEqualTo(canonicalizer.canonicalJson(spec(RICH)));
    assertThat(canonicalizer.hash(once)).isEqualTo(canonicalizer.hash(spec(RICH)));
  }

  @Test
  void theNormalFormKeepsTheUsersOrderAndTheHashIgnoresIt() {
    String sidecarFirst =
        task(
            "\"family\": \"web\"",
            "{\"name\": \"xray\", \"image\": \"xray:3\", \"dnsServers\": [\"10.0.0.2\","
                + " \"10.0.0.1\"]}, {\"name\": \"app\", \"image\": \"app:1\", \"dependsOn\":"
                + " [{\"containerName\": \"xray\", \"condition\": \"START\"},"
                + " {\"containerName\": \"db\", \"condition\": \"HEALTHY\"}],"
                + " \"environment\": [{\"name\": \"Z\", \"value\": \"1\"}, {\"name\": \"A\","
                + " \"value\": \"2\"}]}");
    String appFirst =
        task(
            "\"family\": \"web\"",
            "{\"name\": \"app\", \"image\": \"app:1\", \"dependsOn\": [{\"containerName\":"
                + " \"db\", \"condition\": \"HEALTHY\"}, {\"containerName\": \"xray\","
                + " \"condition\": \"START\"}], \"environment\": [{\"name\": \"A\", \"value\":"
                + " \"2\"}, {\"name\": \"Z\", \"value\": \"1\"}]}, {\"name\": \"xray\", \"image\":"
                + " \"xray:3\", \"dnsServers\": [\"10.0.0.2\", \"10.0.0.1\"]}");

    TaskDefinitionSpec normal = canonicalizer.normalize(spec(sidecarFirst));

    assertThat(normal.containerDefinitions).extracting(c -> c.name).containsExactly("xray", "app");
    assertThat(normal.containerDefinitions.get(1).dependsOn)
        .extracting(d -> d.containerName)
        .containsExactly("xray", "db");
    assertThat(normal.containerDefinitions.get(1).environment)
        .extracting(e -> e.name)
        .containsExactly("Z", "A");
    assertThat(normal.containerDefinitions.get(0).dnsServers)
        .containsExactly("10.0.0.2", "10.0.0.1");
    // defaults are filled as in the canonical form
    assertThat(normal.containerDefinitions.get(1).essential).isTrue();
    assertThat(normal.networkMode).isEqualTo("bridge");
    assertThat(canonicalizer.hash(spec(sidecarFirst)))
        .isEqualTo(canonicalizer.hash(spec(appFirst)));
    assertThat(canonicalizer.normalJson(spec(sidecarFirst)))
        .isNotEqualTo(canonicalizer.normalJson(spec(appFirst)));
    assertThat(canonicalizer.canonicalJson(normal))
        .isEqualTo(canonicalizer.canonicalJson(spec(appFirst)));
  }

  @Test
  void canonicalJsonIsCompactWithSortedKeys() {
    assertThat(canonicalizer.canonicalJson(spec(task("\"family\": \"web\"", WEB))))
        .isEqualTo(
            "{\"containerDefinitions\":[{\"cpu\":0,\"essential\":true,\"image\":\"nginx:1.27\","
                + "\"name\":\"web\",\"versionConsistency\":\"enabled\"}],\"family\":\"web\","
                + "\"networkMode\":\"bridge\",\"requiresCompatibilities\":[\"EC2\"]}");
  }

  @Test
  void hashIs32LowercaseHexCharacters() {
    assertThat(canonicalizer.hash(spec(RICH)))
        .hasSize(TaskDefinitionCanonicalizer.HASH_LENGTH)
        .matches("[0-9a-f]{32}");
  }

  @Test
  void hashOfAFixedSpecNeverChanges() {
    // Regression guard: a new value here means every existing TaskDefinition gets a new
    // revision when the operator is upgraded. Change it only on purpose (docs/canonical-form.md).
    assertThat(canonicalizer.hash(spec(RICH))).isEqualTo("dad897999cd6246ac30b41be1ed4b569");
  }

  // --- the corpus --------------------------------------------------------------------------

  // Eligible: every file without a template placeholder that parses, found by scanning the files.
  static Stream<String> corpusFiles() {
    assertThat(EcsCorpus.TASK_DEFINITIONS)
        .as("the ECS corpus, read from the repository's parent")
        .isDirectory();
    List<String> usable =
        EcsCorpus.withoutPlaceholders().stream().map(EcsCorpus.Entry::file).toList();
    // Guards the filter: the corpus has 30 usable task definitions.
    assertThat(usable).hasSizeGreaterThanOrEqualTo(25);
    return usable.stream();
  }

  @NeedsEcsCorpus
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void corpusTaskDefinitionsHashTheSameInAnyListOrder(String file) throws IOException {
    TaskDefinitionSpec original = EcsCorpus.spec(file);
    TaskDefinitionSpec reversed = EcsCorpus.spec(file);
    reverseOrderFreeLists(reversed);
    String before = STRICT.writeValueAsString(original);

    String canonicalJson = canonicalizer.canonicalJson(original);

    assertThat(canonicalizer.hash(reversed)).isEqualTo(canonicalizer.hash(original));
    assertThat(canonicalizer.canonicalJson(canonicalizer.canonicalize(original)))
        .as("idempotent")
        .isEqualTo(canonicalJson);
    assertThat(STRICT.writeValueAsString(original)).as("input untouched").isEqualTo(before);
  }

  /** A revision stores what normalJson gives, its spec is that JSON, its hash that of hash(). */
  @NeedsEcsCorpus
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void aRevisionIsTheNormalFormAndTheHash(String file) throws IOException {
    TaskDefinitionSpec spec = EcsCorpus.spec(file);
    CanonicalTaskDefinition revision = CanonicalTaskDefinition.of(spec);

    assertThat(revision.json()).isEqualTo(canonicalizer.normalJson(spec));
    assertThat(STRICT.writeValueAsString(revision.spec()))
        .isEqualTo(STRICT.writeValueAsString(canonicalizer.normalize(spec)));
    assertThat(revision.hash()).isEqualTo(canonicalizer.hash(spec));
    assertThat(revision.spec()).as("made once").isSameAs(revision.spec());
    assertThat(STRICT.writeValueAsString(spec))
        .as("input untouched")
        .isEqualTo(STRICT.writeValueAsString(EcsCorpus.spec(file)));
  }

  // Written independently of the canonicalizer's own list of order-free fields, so a list it
  // forgets to sort shows up here as a different hash.
  private static void reverseOrderFreeLists(TaskDefinitionSpec s) {
    reverse(s.containerDefinitions);
    reverse(s.volumes);
    reverse(s.placementConstraints);
    reverse(s.requiresCompatibilities);
    reverse(s.tags);
    reverse(s.inferenceAccelerators);
    if (s.proxyConfiguration != null) {
      reverse(s.proxyConfiguration.properties);
    }
    if (s.volumes != null) {
      for (Volume v : s.volumes) {
        if (v.dockerVolumeConfiguration != null) {
          v.dockerVolumeConfiguration.driverOpts = reversed(v.dockerVolumeConfiguration.driverOpts);
          v.dockerVolumeConfiguration.labels = reversed(v.dockerVolumeConfiguration.labels);
        }
      }
    }
    for (ContainerDefinition c : s.containerDefinitions) {
      reverse(c.environment);
      reverse(c.secrets);
      reverse(c.ulimits);
      reverse(c.systemControls);
      reverse(c.extraHosts);
      reverse(c.resourceRequirements);
      reverse(c.dependsOn);
      reverse(c.mountPoints);
      reverse(c.volumesFrom);
      c.dockerLabels = reversed(c.dockerLabels);
      if (c.logConfiguration != null) {
        reverse(c.logConfiguration.secretOptions);
        c.logConfiguration.options = reversed(c.logConfiguration.options);
      }
      if (c.firelensConfiguration != null) {
        c.firelensConfiguration.options = reversed(c.firelensConfiguration.options);
      }
      if (c.linuxParameters != null) {
        reverse(c.linuxParameters.devices);
        reverse(c.linuxParameters.tmpfs);
        if (c.linuxParameters.devices != null) {
          c.linuxParameters.devices.forEach(d -> reverse(d.permissions));
        }
        if (c.linuxParameters.capabilities != null) {
          reverse(c.linuxParameters.capabilities.add);
          reverse(c.linuxParameters.capabilities.drop);
        }
      }
      if (c.restartPolicy != null) {
        reverse(c.restartPolicy.ignoredExitCodes);
      }
    }
  }

  private static void reverse(List<?> list) {
    if (list != null) {
      Collections.reverse(list);
    }
  }

  private static <V> Map<String, V> reversed(Map<String, V> map) {
    if (map == null) {
      return null;
    }
    List<String> keys = new ArrayList<>(map.keySet());
    Collections.reverse(keys);
    Map<String, V> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, map.get(k)));
    return out;
  }

  // --- fixtures ----------------------------------------------------------------------------

  private static final String WEB = "{\"name\": \"web\", \"image\": \"nginx:1.27\"}";
  private static final String SIDECAR =
      "{\"name\": \"log-router\", \"image\": \"fluent-bit:3\", \"essential\": false}";

  private static final String RICH =
      """
      {
        "clusterRef": {"name": "prod"},
        "family": "checkout",
        "taskRoleRef": {"name": "checkout"},
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "0.5 vCPU",
        "memory": "1 GB",
        "revisionHistoryLimit": 5,
        "tags": [{"key": "team", "value": "payments"}, {"key": "app", "value": "checkout"}],
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "volumes": [{"name": "tmp"}, {"name": "cache", "host": {}}],
        "containerDefinitions": [
          {
            "name": "web",
            "image": "example.com/checkout:1.4.2",
            "portMappings": [{"containerPort": 8080, "name": "http", "appProtocol": "http"}],
            "environment": [{"name": "PORT", "value": "8080"}, {"name": "MODE", "value": "$(x)"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}],
            "command": ["serve", "--port", "8080"],
            "dockerLabels": {"z": "1", "a": "2"},
            "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp"},
                            {"sourceVolume": "cache", "containerPath": "/cache", "readOnly": false}],
            "dependsOn": [{"containerName": "log-router", "condition": "START"}],
            "healthCheck": {"command": ["CMD-SHELL", "curl -f localhost:8080/health"], "startPeriod": 10},
            "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch", "region": "eu-west-1"}},
            "ulimits": [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}]
          },
          {
            "name": "log-router",
            "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
            "essential": false,
            "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}
          }
        ]
      }
      """;

  private static String web(String fields) {
    return task("", container(fields));
  }

  private static String container(String fields) {
    return "{\"name\": \"web\", \"image\": \"nginx:1.27\""
        + (fields.isEmpty() ? "" : ", " + fields)
        + "}";
  }

  private static String task(String fields, String containers) {
    return "{"
        + (fields.isEmpty() ? "" : fields + ", ")
        + "\"containerDefinitions\": ["
        + containers
        + "]}";
  }

  private static TaskDefinitionSpec spec(String json) {
    try {
      return STRICT.readValue(json, TaskDefinitionSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad fixture: " + json, e);
    }
  }
}
