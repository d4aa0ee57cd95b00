package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionValidatorTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final TaskDefinitionValidator VALIDATOR = new TaskDefinitionValidator();

  // An EC2 task in bridge mode: the baseline most rules are tested against.
  private static final String EC2 =
      """
      containerDefinitions:
        - name: web
          image: nginx
          memory: 512
      """;

  static TaskDefinitionSpec spec(String yaml) {
    try {
      return YAML.readValue(yaml, TaskDefinitionSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test YAML does not parse: " + e.getMessage(), e);
    }
  }

  static List<Problem> validate(String yaml) {
    return VALIDATOR.validate(spec(yaml));
  }

  /**
   * A Fargate task (cpu 256, memory 512, awsvpc) with {@code task} added at the top level and
   * {@code container} added to its only container.
   */
  static String fargate(String task, String container) {
    return """
        requiresCompatibilities: [FARGATE]
        networkMode: awsvpc
        cpu: "256"
        memory: "512"
        %s
        containerDefinitions:
          - name: web
            image: nginx
        %s
        """
        .formatted(task, indent(container, "    "));
  }

  /** {@code yaml} (from {@link #fargate}) with task cpu and memory replaced. */
  static String sized(String yaml, String cpu, String memory) {
    return yaml.replace("cpu: \"256\"", "cpu: \"" + cpu + "\"")
        .replace("memory: \"512\"", "memory: \"" + memory + "\"");
  }

  // Quotes a value for a YAML flow mapping; single quotes keep $, {, < and : literal.
  static String yamlString(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String indent(String text, String prefix) {
    return text.lines().map(l -> prefix + l).collect(Collectors.joining("\n"));
  }

  /** The problems are exactly one, at {@code path} with {@code reason}, naming every part. */
  @Test
  void aPlainEc2TaskIsValid() {
    assertThat(validate(EC2)).isEmpty();
  }

  @Test
  void theShippedExampleIsValid() throws IOException {
    JsonNode example = YAML.readTree(Path.of("examples", "taskdefinition.yaml").toFile());
    TaskDefinitionSpec spec = YAML.treeToValue(example.get("spec"), TaskDefinitionSpec.class);
    assertThat(VALIDATOR.validate(spec)).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    List<Problem> problems =
        validate(
            """
            requiresCompatibilities: [FARGATE]
            networkMode: bridge
            cpu: "256"
            memory: "4096"
            taskRoleArn: "arn:aws:iam::123:role/x"
            containerDefinitions:
              - name: web
                image: nginx
                essential: false
                privileged: true
            """);
    assertThat(problems)
        .extracting(Problem::path, Problem::reason)
        .containsExactlyInAnyOrder(
            tuple("taskRoleArn", "InvalidRoleArn"),
            tuple("memory", "FargateMemoryUnsupported"),
            tuple("networkMode", "FargateRequiresAwsvpc"),
            tuple("containerDefinitions[0].privileged", "NotSupportedOnFargate"),
            tuple("containerDefinitions", "NoEssentialContainer"));
  }

  // --- rule 1: Fargate cpu / memory -------------------------------------------------------------

  @Nested
  class FargateSize {

    @ParameterizedTest(name = "cpu {0}, memory {1}")
    @CsvSource({
      "256,512",
      "256,1024",
      "256,2048",
      "512,1024",
      "512,2048",
      "512,4096",
      "1024,2048",
      "1024,5120",
      "1024,8192",
      "2048,4096",
      "2048,16384",
      "4096,8192",
      "4096,30720",
      "8192,16384",
      "8192,20480",
      "8192,61440",
      "16384,32768",
      "16384,40960",
      "16384,122880",
      "1 vCPU,2 GB",
      "0.25 vcpu,0.5 GB",
      "4 vCPU,30 GB"
    })
    void acceptsEveryCombinationOfTheTable(String cpu, String memory) {
      assertThat(validate(sized(fargate("", ""), cpu, memory))).isEmpty();
    }

    @ParameterizedTest(name = "cpu {0}, memory {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "256|4096|512, 1024 or 2048 MiB, not 4096",
          "256|1536|512, 1024 or 2048 MiB, not 1536",
          "512|512|1024 to 4096 in steps of 1024 MiB, not 512",
          "512|5120|1024 to 4096 in steps of 1024 MiB, not 5120",
          "1024|1024|2048 to 8192 in steps of 1024 MiB, not 1024",
          "1024|3000|2048 to 8192 in steps of 1024 MiB, not 3000",
          "4096|31744|8192 to 30720 in steps of 1024 MiB, not 31744",
          "8192|18432|16384 to 61440 in steps of 4096 MiB, not 18432",
          "16384|36864|32768 to 122880 in steps of 8192 MiB, not 36864",
          "1 vCPU|16 GB|2048 to 8192 in steps of 1024 MiB, not \"16 GB\" (16384)",
        })
    void rejectsMemoryTheCpuDoesNotAllow(String cpu, String memory, String named) {
      assertOnly(
          validate(sized(fargate("", ""), cpu, memory)),
          "memory",
          "FargateMemoryUnsupported",
          named);
    }

    @Test
    void namesTheTableInTheMessage() {
      assertOnly(
          validate(sized(fargate("", ""), "256", "4096")),
          "memory",
          "FargateMemoryUnsupported",
          "Fargate task cpu 256 allows memory 512, 1024 or 2048 MiB, not 4096");
    }

    @Test
    void rejectsACpuThatIsNoFargateSize() {
      assertOnly(
          validate(sized(fargate("", ""), "300", "512")),
          "cpu",
          "FargateCpuUnsupported",
          "300",
          "256, 512, 1024, 2048, 4096");
    }

    @Test
    void requiresTaskCpuAndMemory() {
      String yaml = fargate("", "").replace("cpu: \"256\"\n", "").replace("memory: \"512\"\n", "");
      assertThat(validate(yaml))
          .extracting(Problem::path, Problem::reason)
          .containsExactlyInAnyOrder(
              tuple("cpu", "TaskCpuRequired"), tuple("memory", "TaskMemoryRequired"));
    }

    @Test
    void reportsUnparsableUnitsAsTheirOwnProblem() {
      String yaml = sized(fargate("", ""), "0.0001 vCPU", "12 TB");
      assertThat(validate(yaml))
          .extracting(Problem::path, Problem::reason)
          .containsExactlyInAnyOrder(
              tuple("cpu", "InvalidTaskCpu"), tuple("memory", "InvalidTaskMemory"));
      assertThat(validate(yaml))
          .extracting(Problem::message)
          .anySatisfy(m -> assertThat(m).startsWith("cpu \"0.0001 vCPU\""));
    }

    @Test
    void unparsableUnitsAreAProblemOnEc2Too() {
      assertOnly(
          validate("memory: \"lots\"\n" + EC2), "memory", "InvalidTaskMemory", "memory \"lots\"");
    }

    @Test
    void theTableDoesNotApplyToEc2() {
      assertThat(validate("cpu: \"300\"\nmemory: \"700\"\n" + EC2)).isEmpty();
    }
  }

  // --- rule 2: what Fargate does not support ----------------------------------------------------

  @Nested
  class FargateUnsupported {

    @Test
    void fargateNeedsAwsvpc() {
      String yaml = fargate("", "").replace("networkMode: awsvpc", "networkMode: bridge");
      assertOnly(validate(yaml), "networkMode", "FargateRequiresAwsvpc", "not bridge");
    }

    @Test
    void fargateWithoutNetworkModeNamesTheDefault() {
      String yaml = fargate("", "").replace("networkMode: awsvpc\n", "");
      assertOnly(validate(yaml), "networkMode", "FargateRequiresAwsvpc", "the default (bridge)");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '"',
        value = {
          "privileged: true|containerDefinitions[0].privileged",
          "disableNetworking: true|containerDefinitions[0].disableNetworking",
          "dnsServers: [10.0.0.2]|containerDefinitions[0].dnsServers",
          "dnsSearchDomains: [corp.example]|containerDefinitions[0].dnsSearchDomains",
          "dockerSecurityOptions: ['label:type:svirt_apache_t']"
              + "|containerDefinitions[0].dockerSecurityOptions",
          "linuxParameters: {devices: [{hostPath: /dev/xvda}]}"
              + "|containerDefinitions[0].linuxParameters.devices",
          "linuxParameters: {sharedMemorySize: 64}"
              + "|containerDefinitions[0].linuxParameters.sharedMemorySize",
          "linuxParameters: {tmpfs: [{containerPath: /tmp, size: 64}]}"
              + "|containerDefinitions[0].linuxParameters.tmpfs",
          "linuxParameters: {maxSwap: 512}|containerDefinitions[0].linuxParameters.maxSwap",
          "linuxParameters: {swappiness: 10}|containerDefinitions[0].linuxParameters.swappiness",
          "linuxParameters: {capabilities: {add: [SYS_ADMIN]}}"
              + "|containerDefinitions[0].linuxParameters.capabilities.add[0]",
          "resourceRequirements: [{type: GPU, value: '1'}]"
              + "|containerDefinitions[0].resourceRequirements[0]",
          "logConfiguration: {logDriver: fluentd}"
              + "|containerDefinitions[0].logConfiguration.logDriver",
        })
    void rejectsContainerSettings(String container, String path) {
      List<Problem> problems = validate(fargate("", container));
      assertOnly(problems, path, "NotSupportedOnFargate", "Fargate");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '"',
        value = {
          "placementConstraints: [{type: memberOf, expression: 'attribute:x == y'}]"
              + "|placementConstraints",
          "ipcMode: task|ipcMode",
          "ipcMode: host|ipcMode",
          "pidMode: host|pidMode",
          "inferenceAccelerators: [{deviceName: d1, deviceType: eia2.medium}]"
              + "|inferenceAccelerators",
          "volumes: [{name: v, host: {sourcePath: /var/log}}]|volumes[0].host.sourcePath",
          "volumes: [{name: v, dockerVolumeConfiguration: {scope: task}}]"
              + "|volumes[0].dockerVolumeConfiguration",
          "volumes: [{name: v, fsxWindowsFileServerVolumeConfiguration: {fileSystemId: fs-1,"
              + " rootDirectory: x, authorizationConfig: {credentialsParameter: c, domain: d}}}]"
              + "|volumes[0].fsxWindowsFileServerVolumeConfiguration",
        })
    void rejectsTaskSettings(String task, String path) {
      assertOnly(validate(fargate(task, "")), path, "NotSupportedOnFargate", "Fargate");
    }

    @Test
    void namesTheCapabilityAndTheLogDriver() {
      assertThat(validate(fargate("", "linuxParameters: {capabilities: {add: [NET_ADMIN]}}")))
          .extracting(Problem::message)
          .containsExactly("capability NET_ADMIN cannot be added on Fargate: only SYS_PTRACE can");
      assertThat(validate(fargate("", "logConfiguration: {logDriver: syslog}")))
          .extracting(Problem::message)
          .containsExactly(
              "logDriver syslog is not supported on Fargate: use awslogs, splunk or awsfirelens");
    }

    @Test
    void allowsWhatFargateSupports() {
      String yaml =
          fargate(
              """
              pidMode: task
              ipcMode: ""
              placementConstraints: []
              volumes: [{name: scratch, host: {}}, {name: data}]""",
              """
              privileged: false
              linuxParameters: {initProcessEnabled: true, capabilities: {add: [SYS_PTRACE], drop: [ALL]}}
              logConfiguration: {logDriver: awslogs}
              mountPoints: [{sourceVolume: scratch, containerPath: /scratch}]""");
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void ec2AllowsTheSameSettings() {
      assertThat(
              validate(
                  """
                  ipcMode: host
                  pidMode: host
                  volumes: [{name: logs, host: {sourcePath: /var/log}}]
                  containerDefinitions:
                    - name: web
                      image: nginx
                      memory: 512
                      privileged: true
                      dnsServers: [10.0.0.2]
                      linuxParameters: {devices: [{hostPath: /dev/xvda}], tmpfs: [{containerPath: /t, size: 8}]}
                      resourceRequirements: [{type: GPU, value: "1"}]
                      logConfiguration: {logDriver: fluentd}
                      mountPoints: [{sourceVolume: logs, containerPath: /logs}]
                  """))
          .isEmpty();
    }
  }

  // --- rule 3: Fargate Windows and ARM64 --------------------------------------------------------

  @Nested
  class FargatePlatform {

    @Test
    void windowsNeedsOneVcpu() {
      String yaml =
          sized(
              fargate("runtimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2022_CORE}", ""),
              "512",
              "1024");
      // cpu 512 / memory 1024 fits the table; only the Windows minimum is broken.
      assertOnly(
          validate(yaml), "cpu", "FargateWindowsCpuTooLow", "WINDOWS_SERVER_2022_CORE", "512");
    }

    @Test
    void windowsWithOneVcpuIsValid() {
      String yaml =
          sized(
              fargate("runtimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2019_FULL}", ""),
              "1024",
              "2048");
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void arm64NeedsLinux() {
      String yaml =
          sized(
              fargate(
                  "runtimePlatform: {cpuArchitecture: ARM64,"
                      + " operatingSystemFamily: WINDOWS_SERVER_2022_CORE}",
                  ""),
              "1024",
              "2048");
      assertOnly(
          validate(yaml),
          "runtimePlatform.cpuArchitecture",
          "FargateArm64RequiresLinux",
          "WINDOWS_SERVER_2022_CORE");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "runtimePlatform: {cpuArchitecture: ARM64, operatingSystemFamily: LINUX}",
          "runtimePlatform: {cpuArchitecture: ARM64}"
        })
    void arm64OnLinuxIsValid(String platform) {
      assertThat(validate(fargate(platform, ""))).isEmpty();
    }
  }

  // --- rule 4: container memory and cpu ---------------------------------------------------------

  @Nested
  class ContainerResources {

    @Test
    void withoutTaskMemoryEveryContainerNeedsMemory() {
      String yaml =
          """
          requiresCompatibilities: [EC2, EXTERNAL]
          containerDefinitions:
            - name: web
              image: nginx
              memoryReservation: 256
            - name: sidecar
              image: busybox
          """;
      assertOnly(
          validate(yaml),
          "containerDefinitions[1].memory",
          "ContainerMemoryRequired",
          "\"sidecar\"");
    }

    @Test
    void taskMemoryMakesContainerMemoryOptional() {
      assertThat(
              validate(
                  """
                  memory: "1024"
                  containerDefinitions:
                    - name: web
                      image: nginx
                  """))
          .isEmpty();
    }

    @Test
    void reservationAboveMemoryIsRejected() {
      String yaml = EC2.replace("memory: 512", "memory: 256\n    memoryReservation: 512");
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].memoryReservation",
          "MemoryReservationAboveMemory",
          "memoryReservation 512",
          "memory 256");
    }

    @Test
    void reservationEqualToMemoryIsAllowed() {
      // ECS accepts memory == memoryReservation (its documentation once said "greater than",
      // and was corrected); only a reservation above the hard limit is rejected.
      String yaml = EC2.replace("memory: 512", "memory: 512\n    memoryReservation: 512");
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void containerMemoryAboveTaskMemoryIsRejected() {
      assertOnly(
          validate("memory: \"0.25 GB\"\n" + EC2),
          "containerDefinitions[0].memory",
          "ContainerMemoryExceedsTask",
          "memory 512 MiB",
          "\"0.25 GB\" (256)");
    }

    @Test
    void reservationsTogetherAboveTaskMemoryAreRejected() {
      String yaml =
          """
          memory: "1024"
          containerDefinitions:
            - name: web
              image: nginx
              memoryReservation: 768
            - name: sidecar
              image: busybox
              memory: 512
          """;
      assertOnly(
          validate(yaml),
          "memory",
          "ContainerMemoryTotalExceedsTask",
          "1280 MiB",
          "web 768, sidecar 512");
    }

    @Test
    void containerCpuAboveTaskCpuIsRejected() {
      assertOnly(
          validate("cpu: \"512\"\n" + EC2.replace("memory: 512", "memory: 512\n    cpu: 1024")),
          "containerDefinitions[0].cpu",
          "ContainerCpuExceedsTask",
          "cpu 1024",
          "512");
    }

    @Test
    void containerCpuTogetherAboveTaskCpuIsRejected() {
      String yaml =
          """
          cpu: "1 vCPU"
          containerDefinitions:
            - name: web
              image: nginx
              memory: 256
              cpu: 768
            - name: sidecar
              image: busybox
              memory: 256
              cpu: 512
          """;
      assertOnly(
          validate(yaml),
          "cpu",
          "ContainerCpuTotalExceedsTask",
          "1280 CPU units",
          "web 768, sidecar 512",
          "\"1 vCPU\" (1024)");
    }

    @Test
    void containerCpuEqualToTaskCpuIsAllowed() {
      String yaml = fargate("", "cpu: 256\nmemory: 512");
      assertThat(validate(yaml)).isEmpty();
    }
  }

  // --- rule 5: network modes --------------------------------------------------------------------

  @Nested
  class NetworkModes {

    @ParameterizedTest(name = "networkMode {0}, hostPort {1}")
    @CsvSource({"awsvpc,8080", "awsvpc,0", "host,8080"})
    void hostPortMustEqualContainerPort(String mode, int hostPort) {
      String yaml =
          "networkMode: "
              + mode
              + "\n"
              + EC2
              + "    portMappings: [{containerPort: 80, hostPort: "
              + hostPort
              + "}]\n";
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].portMappings[0].hostPort",
          "HostPortMismatch",
          "hostPort " + hostPort,
          "containerPort 80",
          mode);
    }

    @ParameterizedTest(name = "networkMode {0}")
    @CsvSource({"awsvpc,80", "host,80", "bridge,8080", "bridge,0"})
    void matchingOrBridgeHostPortsAreValid(String mode, int hostPort) {
      String yaml =
          "networkMode: "
              + mode
              + "\n"
              + EC2
              + "    portMappings: [{containerPort: 80, hostPort: "
              + hostPort
              + "}]\n";
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void linksNeedBridge() {
      String yaml =
          """
          networkMode: awsvpc
          containerDefinitions:
            - name: web
              image: nginx
              memory: 256
              links: ["db:database"]
            - name: db
              image: postgres
              memory: 256
          """;
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].links",
          "LinksRequireBridge",
          "db:database",
          "awsvpc");
    }

    @Test
    void hostnameAndExtraHostsAreNotSupportedUnderAwsvpc() {
      String yaml =
          "networkMode: awsvpc\n"
              + EC2
              + "    hostname: web1\n"
              + "    extraHosts: [{hostname: db, ipAddress: 10.0.0.5}]\n";
      assertThat(validate(yaml))
          .extracting(Problem::path, Problem::reason)
          .containsExactly(
              tuple("containerDefinitions[0].hostname", "NotSupportedWithAwsvpc"),
              tuple("containerDefinitions[0].extraHosts", "NotSupportedWithAwsvpc"));
    }

    @Test
    void bridgeAllowsLinksHostnameAndExtraHosts() {
      String yaml =
          """
          networkMode: bridge
          containerDefinitions:
            - name: web
              image: nginx
              memory: 256
              hostname: web1
              extraHosts: [{hostname: db, ipAddress: 10.0.0.5}]
              links: ["db"]
            - name: db
              image: postgres
              memory: 256
          """;
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void networkModeNoneTakesNoPortMappings() {
      String yaml = "networkMode: none\n" + EC2 + "    portMappings: [{containerPort: 80}]\n";
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].portMappings",
          "PortMappingsWithoutNetwork",
          "networkMode none");
    }
  }

  // --- rule 6: names and references -------------------------------------------------------------

  @Nested
  class References {

    private static final String TWO =
        """
        volumes: [{name: data}]
        containerDefinitions:
          - name: a
            image: busybox
            memory: 64
            %s
          - name: b
            image: busybox
            memory: 64
            essential: false
            %s
        """;

    private List<Problem> two(String a, String b) {
      return validate(TWO.formatted(a, b));
    }

    @Test
    void validReferencesPass() {
      assertThat(
              two(
                  "dependsOn: [{containerName: b, condition: COMPLETE}]",
                  "volumesFrom: [{sourceContainer: a}]\n    mountPoints: [{sourceVolume: data,"
                      + " containerPath: /data}]\n    links: ['a:alias']"))
          .isEmpty();
    }

    @Test
    void duplicateContainerNames() {
      String yaml = TWO.formatted("", "").replace("name: b", "name: a");
      assertOnly(validate(yaml), "containerDefinitions[1].name", "DuplicateContainerName", "\"a\"");
    }

    @Test
    void duplicateVolumeNames() {
      String yaml = TWO.formatted("", "").replace("[{name: data}]", "[{name: data}, {name: data}]");
      assertOnly(validate(yaml), "volumes[1].name", "DuplicateVolumeName", "\"data\"");
    }

    @Test
    void dependsOnAnUnknownContainer() {
      assertOnly(
          two("dependsOn: [{containerName: c, condition: START}]", ""),
          "containerDefinitions[0].dependsOn[0].containerName",
          "UnknownContainer",
          "\"c\"");
    }

    @Test
    void dependsOnItself() {
      assertOnly(
          two("dependsOn: [{containerName: a, condition: START}]", ""),
          "containerDefinitions[0].dependsOn[0].containerName",
          "SelfReference",
          "\"a\"");
    }

    @Test
    void aTwoContainerCycleIsReportedOnce() {
      assertOnly(
          two(
              "dependsOn: [{containerName: b, condition: START}]",
              "dependsOn: [{containerName: a, condition: START}]"),
          "containerDefinitions[0].dependsOn[0].containerName",
          "DependencyCycle",
          "a -> b -> a");
    }

    @Test
    void aLongerCycleNamesEveryContainer() {
      String yaml =
          """
          containerDefinitions:
            - {name: a, image: x, memory: 64, dependsOn: [{containerName: d, condition: START}]}
            - {name: b, image: x, memory: 64, dependsOn: [{containerName: a, condition: START}]}
            - {name: c, image: x, memory: 64, dependsOn: [{containerName: d, condition: START}, {containerName: b, condition: START}]}
            - {name: d, image: x, memory: 64, dependsOn: [{containerName: c, condition: START}]}
          """;
      // c -> b -> a -> d -> c, reported from the first container: a -> d -> c -> b -> a; and the
      // separate short cycle c -> d -> c.
      assertThat(validate(yaml))
          .extracting(Problem::path, Problem::reason)
          .containsExactlyInAnyOrder(
              tuple("containerDefinitions[0].dependsOn[0].containerName", "DependencyCycle"),
              tuple("containerDefinitions[2].dependsOn[0].containerName", "DependencyCycle"));
      assertThat(validate(yaml))
          .extracting(Problem::message)
          .anySatisfy(m -> assertThat(m).contains("a -> d -> c -> b -> a"))
          .anySatisfy(m -> assertThat(m).contains("c -> d -> c"));
    }

    @Test
    void aDiamondIsNoCycle() {
      String yaml =
          """
          containerDefinitions:
            - {name: a, image: x, memory: 64, dependsOn: [{containerName: b, condition: START}, {containerName: c, condition: START}]}
            - {name: b, image: x, memory: 64, dependsOn: [{containerName: d, condition: START}]}
            - {name: c, image: x, memory: 64, dependsOn: [{containerName: d, condition: START}]}
            - {name: d, image: x, memory: 64}
          """;
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void healthyNeedsAHealthCheck() {
      assertOnly(
          two("dependsOn: [{containerName: b, condition: HEALTHY}]", ""),
          "containerDefinitions[0].dependsOn[0].condition",
          "DependencyWithoutHealthCheck",
          "\"b\"");
      assertThat(
              two(
                  "dependsOn: [{containerName: b, condition: HEALTHY}]",
                  "healthCheck: {command: [CMD-SHELL, 'true']}"))
          .isEmpty();
    }

    @Test
    void successCannotWaitForAnEssentialContainer() {
      String yaml = TWO.formatted("", "dependsOn: [{containerName: a, condition: SUCCESS}]");
      assertOnly(
          validate(yaml),
          "containerDefinitions[1].dependsOn[0].condition",
          "EssentialDependencyCannotExit",
          "SUCCESS",
          "\"a\"");
    }

    @Test
    void volumesFromAnUnknownContainer() {
      assertOnly(
          two("volumesFrom: [{sourceContainer: nope}]", ""),
          "containerDefinitions[0].volumesFrom[0].sourceContainer",
          "UnknownContainer",
          "\"nope\"");
    }

    @Test
    void linkToAnUnknownContainer() {
      assertOnly(
          two("links: ['cache:redis']", ""),
          "containerDefinitions[0].links[0]",
          "UnknownContainer",
          "\"cache:redis\"",
          "\"cache\"");
    }

    @Test
    void mountOfAnUnknownVolume() {
      assertOnly(
          two("mountPoints: [{sourceVolume: logs, containerPath: /logs}]", ""),
          "containerDefinitions[0].mountPoints[0].sourceVolume",
          "UnknownVolume",
          "\"logs\"");
    }

    @Test
    void proxyOfAnUnknownContainer() {
      assertOnly(
          validate("proxyConfiguration: {type: APPMESH, containerName: envoy}\n" + EC2),
          "proxyConfiguration.containerName",
          "UnknownContainer",
          "\"envoy\"");
    }

    @Test
    void awsfirelensNeedsALogRouter() {
      assertOnly(
          two("logConfiguration: {logDriver: awsfirelens}", ""),
          "containerDefinitions[0].logConfiguration.logDriver",
          "LogRouterMissing",
          "\"a\"");
    }

    @Test
    void aLogRouterNeedsAContainerThatUsesIt() {
      assertOnly(
          two("", "firelensConfiguration: {type: fluentbit}"),
          "containerDefinitions[1].firelensConfiguration",
          "LogRouterUnused",
          "\"b\"");
      assertThat(
              two(
                  "logConfiguration: {logDriver: awsfirelens}",
                  "firelensConfiguration: {type: fluentbit}"))
          .isEmpty();
    }
  }

  // --- rule 7: essential ------------------------------------------------------------------------

  @Nested
  class Essential {

    @Test
    void someContainerMustBeEssential() {
      assertOnly(
          validate(EC2 + "    essential: false\n"),
          "containerDefinitions",
          "NoEssentialContainer",
          "essential");
    }

    @Test
    void anAbsentEssentialMeansTrue() {
      assertThat(validate(EC2)).isEmpty();
    }

    @Test
    void aTaskNeedsContainers() {
      assertOnly(
          validate("containerDefinitions: []"),
          "containerDefinitions",
          "NoContainers",
          "at least one container");
    }
  }

  // --- rule 8: GPUs -----------------------------------------------------------------------------

  @Nested
  class Gpus {

    @ParameterizedTest
    @ValueSource(strings = {"[EC2]", "[EXTERNAL]", "[EC2, EXTERNAL]"})
    void gpusRunOnEc2AndExternal(String compatibilities) {
      String yaml =
          "requiresCompatibilities: "
              + compatibilities
              + "\n"
              + EC2
              + "    resourceRequirements: [{type: GPU, value: \"2\"}]\n";
      assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void gpusDoNotRunOnFargate() {
      String yaml =
          fargate("", "resourceRequirements: [{type: GPU, value: \"1\"}]")
              .replace("[FARGATE]", "[EC2, FARGATE]");
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].resourceRequirements[0]",
          "NotSupportedOnFargate",
          "GPU 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1.5", "two", "-1", ""})
    void theGpuCountIsAPositiveWholeNumber(String value) {
      String yaml = EC2 + "    resourceRequirements: [{type: GPU, value: \"" + value + "\"}]\n";
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].resourceRequirements[0].value",
          "InvalidGpuCount",
          '"' + value + '"');
    }

    @Test
    void anInferenceAcceleratorMustBeDeclared() {
      String yaml =
          "inferenceAccelerators: [{deviceName: eia1, deviceType: eia2.medium}]\n"
              + EC2
              + "    resourceRequirements: [{type: InferenceAccelerator, value: eia2}]\n";
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].resourceRequirements[0].value",
          "UnknownInferenceAccelerator",
          "\"eia2\"");
      assertThat(validate(yaml.replace("value: eia2", "value: eia1"))).isEmpty();
    }
  }

  // --- rule 9: ports ----------------------------------------------------------------------------

  @Nested
  class Ports {

    private static final String TWO_BRIDGE =
        """
        containerDefinitions:
          - name: a
            image: nginx
            memory: 64
            portMappings: [%s]
          - name: b
            image: nginx
            memory: 64
            portMappings: [%s]
        """;

    @Test
    void aFixedHostPortIsBoundOnce() {
      List<Problem> problems =
          validate(
              TWO_BRIDGE.formatted(
                  "{containerPort: 80, hostPort: 80}", "{containerPort: 8080, hostPort: 80}"));
      assertOnly(
          problems,
          "containerDefinitions[1].portMappings[0].hostPort",
          "DuplicateHostPort",
          "80/tcp",
          "containerDefinitions[0].portMappings[0]");
    }

    @Test
    void protocolsAndDynamicPortsDoNotClash() {
      assertThat(
              validate(
                  TWO_BRIDGE.formatted(
                      "{containerPort: 53, hostPort: 53}, {containerPort: 80}, {containerPort: 81,"
                          + " hostPort: 0}",
                      "{containerPort: 53, hostPort: 53, protocol: udp}, {containerPort: 80},"
                          + " {containerPort: 81, hostPort: 0}")))
          .isEmpty();
    }

    @Test
    void underAwsvpcTheContainerPortIsTheHostPort() {
      List<Problem> problems =
          validate(
              "networkMode: awsvpc\n"
                  + TWO_BRIDGE.formatted("{containerPort: 8080}", "{containerPort: 8080}"));
      assertOnly(
          problems,
          "containerDefinitions[1].portMappings[0].containerPort",
          "DuplicateHostPort",
          "8080/tcp");
    }

    @Test
    void aContainerMapsAPortOnce() {
      List<Problem> problems =
          validate(
              "networkMode: awsvpc\n"
                  + TWO_BRIDGE.formatted(
                      "{containerPort: 80}, {containerPort: 80, protocol: tcp}",
                      "{containerPort: 90}"));
      // One problem: the duplicate mapping, not also its host port.
      assertOnly(
          problems,
          "containerDefinitions[0].portMappings[1].containerPort",
          "DuplicateContainerPort",
          "80/tcp",
          "containerDefinitions[0].portMappings[0]");
    }

    @Test
    void portNamesAreUniqueInATask() {
      assertOnly(
          validate(
              TWO_BRIDGE.formatted(
                  "{containerPort: 80, name: http}", "{containerPort: 81, name: http}")),
          "containerDefinitions[1].portMappings[0].name",
          "DuplicatePortName",
          "\"http\"");
    }
  }

  // --- rule 10: secrets -------------------------------------------------------------------------

  @Nested
  class Secrets {

    private List<Problem> secret(String valueFrom) {
      return validate(EC2 + "    secrets: [{name: S, valueFrom: " + yamlString(valueFrom) + "}]\n");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf:password::",
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password:AWSCURRENT:",
          "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-AbCdEf",
          "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password",
          "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/p",
          "/app/db/password",
          "db_password.v2",
        })
    void acceptsSecretsManagerAndSsmReferences(String valueFrom) {
      assertThat(secret(valueFrom)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "arn:aws:s3:::bucket/key|service \"s3\"",
          "arn:aws:ssm:us-east-1:12345:parameter/x|account id \"12345\"",
          "arn:aws:secretsmanager:region:123456789012:secret:x|region \"region\"",
          "arn:aws:ssm:us-east-1:123456789012:document/x|not an SSM parameter",
          "my secret|neither",
        })
    void rejectsOtherValues(String valueFrom, String named) {
      assertOnly(
          secret(valueFrom),
          "containerDefinitions[0].secrets[0].valueFrom",
          "InvalidSecretReference",
          valueFrom,
          named);
    }

    @Test
    void rejectsAnEmptyValue() {
      assertOnly(
          secret(""),
          "containerDefinitions[0].secrets[0].valueFrom",
          "InvalidSecretReference",
          "is empty");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "{{ ssm `/app/db` }}|{{ ssm `/app/db` }}",
          "${DB_SECRET_ARN}|${DB_SECRET_ARN}",
          "$$$SECRET_VALUE_FROM$$$|$$$SECRET_VALUE_FROM$$$",
          "<SECRET_ARN>|<SECRET_ARN>",
          "arn:aws:secretsmanager:us-east-1:XXXXXXXXXXXX:secret:db|XXXXXXXXXXXX",
          "arn:aws:ssm:us-east-1:$ACCOUNT_ID:parameter/x|$ACCOUNT_ID",
        })
    void rejectsTemplatePlaceholders(String valueFrom, String placeholder) {
      assertOnly(
          secret(valueFrom),
          "containerDefinitions[0].secrets[0].valueFrom",
          "TemplatePlaceholder",
          '"' + placeholder + '"');
    }

    @Test
    void checksLogSecretOptions() {
      String yaml =
          EC2
              + "    logConfiguration: {logDriver: splunk, secretOptions: [{name: token,"
              + " valueFrom: 'arn:aws:kms:us-east-1:123456789012:key/k'}]}\n";
      assertOnly(
          validate(yaml),
          "containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom",
          "InvalidSecretReference",
          "service \"kms\"");
    }

    @Test
    void repositoryCredentialsComeFromSecretsManager() {
      String ok = EC2 + "    repositoryCredentials: {credentialsParameter: %s}\n";
      assertThat(validate(ok.formatted("'arn:aws:secretsmanager:us-east-1:123456789012:secret:r'")))
          .isEmpty();
      assertThat(validate(ok.formatted("dockerhub/credentials"))).isEmpty();
      assertOnly(
          validate(ok.formatted("'arn:aws:ssm:us-east-1:123456789012:parameter/r'")),
          "containerDefinitions[0].repositoryCredentials.credentialsParameter",
          "InvalidSecretReference",
          "service \"ssm\"");
    }

    @Test
    void anImageWithAPlaceholderIsRejected() {
      assertOnly(
          validate(EC2.replace("image: nginx", "image: \"nginx:{{ env `TAG` }}\"")),
          "containerDefinitions[0].image",
          "TemplatePlaceholder",
          "{{ env `TAG` }}");
    }
  }

  // --- rule 11: roles ---------------------------------------------------------------------------

  @Nested
  class Roles {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "arn:aws:iam::123456789012:role/app",
          "arn:aws:iam::123456789012:role/service-role/team/app+x=y,z.w@v-u_t",
          "arn:aws-cn:iam::123456789012:role/app",
          "arn:aws-us-gov:iam::123456789012:role/app",
          "ecsTaskExecutionRole",
        })
    void acceptsRoleArnsAndNames(String role) {
      assertThat(validate("taskRoleArn: '" + role + "'\nexecutionRoleArn: '" + role + "'\n" + EC2))
          .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "arn:aws:iam::11111111111:role/app|account id \"11111111111\", not 12 digits",
          "arn:aws:iam::aws_account_id:role/app|account id \"aws_account_id\"",
          "arn:aws:iam::123456789012:user/bob|not an IAM role",
          "arn:aws:iam:us-east-1:123456789012:role/app|region \"us-east-1\"",
          "arn:aws:sts::123456789012:assumed-role/app/s|service \"sts\"",
          "my role|neither an IAM role ARN nor a role name",
          "a-role-name-that-is-far-too-long-for-iam-because-it-has-65-chars-x|neither",
        })
    void rejectsAnythingElse(String role, String named) {
      assertOnly(
          validate("executionRoleArn: '" + role + "'\n" + EC2),
          "executionRoleArn",
          "InvalidRoleArn",
          role,
          named);
    }

    @Test
    void rejectsAPlaceholder() {
      assertOnly(
          validate("taskRoleArn: '{{task-role-arn}}'\n" + EC2),
          "taskRoleArn",
          "TemplatePlaceholder",
          "{{task-role-arn}}");
    }

    @Test
    void anArnAndARefExcludeEachOther() {
      assertOnly(
          validate("taskRoleArn: app\ntaskRoleRef: {name: app}\n" + EC2),
          "taskRoleRef",
          "ConflictingFields",
          "taskRoleArn");
    }
  }

  // --- rule 12: health checks -------------------------------------------------------------------

  @Nested
  class HealthChecks {

    private List<Problem> check(String healthCheck) {
      return validate(EC2 + "    healthCheck: " + healthCheck + "\n");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{command: [CMD-SHELL, 'curl -f http://localhost/ || exit 1']}",
          "{command: [CMD, /bin/check, --quick]}",
          "{command: [NONE]}",
        })
    void acceptsCmdCmdShellAndNone(String healthCheck) {
      assertThat(check(healthCheck)).isEmpty();
    }

    @Test
    void aCommandMustStartWithCmdOrCmdShell() {
      // ECS registers this, but Docker ignores a health check of unknown type, so it never runs.
      assertOnly(
          check("{command: [/healthcheck]}"),
          "containerDefinitions[0].healthCheck.command[0]",
          "InvalidHealthCheckCommand",
          "\"/healthcheck\"",
          "CMD or CMD-SHELL");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "{command: [CMD-SHELL, curl, -f]}|exactly one shell command",
          "{command: [CMD-SHELL]}|exactly one shell command",
          "{command: [CMD]}|names no executable",
          "{command: [NONE, x]}|NONE",
        })
    void rejectsMisshapenCommands(String healthCheck, String named) {
      assertOnly(
          check(healthCheck),
          "containerDefinitions[0].healthCheck.command",
          "InvalidHealthCheckCommand",
          named);
    }

    @Test
    void aTimeoutLongerThanTheIntervalIsAccepted() {
      // ECS registers it (the ECS agent's own functional test task 004 uses timeout 50 with
      // interval 5) and Docker waits for the probe before scheduling the next, so there is no
      // rule to break.
      assertThat(check("{command: [CMD-SHELL, 'true'], interval: 5, timeout: 50}")).isEmpty();
    }
  }

  // --- Cluster guardrails -----------------------------------------------------------------------

  @Nested
  class ClusterGuardrails {

    private static final String RISKY =
        """
        networkMode: host
        volumes: [{name: logs, host: {sourcePath: /var/log}}]
        containerDefinitions:
          - name: web
            image: nginx
            memory: 512
            privileged: true
            mountPoints: [{sourceVolume: logs, containerPath: /logs}]
        """;

    @Test
    void withoutAClusterNothingIsGuarded() {
      assertThat(VALIDATOR.validate(spec(RISKY), ValidationContext.NONE)).isEmpty();
    }

    @Test
    void aClusterWithoutGuardrailsAllowsNoneOfIt() {
      List<Problem> problems =
          VALIDATOR.validate(spec(RISKY), ValidationContext.forCluster(new ClusterSpec()));
      assertThat(problems)
          .extracting(Problem::path, Problem::reason)
          .containsExactlyInAnyOrder(
              tuple("networkMode", "HostNetworkNotAllowed"),
              tuple("containerDefinitions[0].privileged", "PrivilegedNotAllowed"),
              tuple("volumes[0].host.sourcePath", "HostPathNotAllowed"));
      assertThat(problems)
          .extracting(Problem::message)
          .anySatisfy(m -> assertThat(m).contains("\"/var/log\"", "allowHostPath"));
    }

    @Test
    void theHostsProcessAndIpcNamespacesNeedAllowPrivileged() {
      String task =
          """
          pidMode: host
          ipcMode: host
          containerDefinitions:
            - {name: web, image: nginx, memory: 512}
          """;
      assertThat(VALIDATOR.validate(spec(task), ValidationContext.forCluster(new ClusterSpec())))
          .extracting(Problem::path, Problem::reason)
          .containsExactlyInAnyOrder(
              tuple("pidMode", "HostPidNotAllowed"), tuple("ipcMode", "HostIpcNotAllowed"));
      ClusterSpec privileged = new ClusterSpec();
      privileged.guardrails = new Guardrails();
      privileged.guardrails.allowPrivileged = true;
      assertThat(VALIDATOR.validate(spec(task), ValidationContext.forCluster(privileged)))
          .isEmpty();
    }

    @Test
    void guardrailsCanAllowIt() {
      ClusterSpec cluster = new ClusterSpec();
      cluster.guardrails = new Guardrails();
      cluster.guardrails.allowHostNetwork = true;
      cluster.guardrails.allowPrivileged = true;
      cluster.guardrails.allowHostPath = true;
      assertThat(VALIDATOR.validate(spec(RISKY), ValidationContext.forCluster(cluster))).isEmpty();
    }
  }

  @Nested
  class KubernetesSecretReferences {

    private static final String TASK =
        """
        containerDefinitions:
          - name: web
            image: nginx
            memory: 512
            secrets:
              - {name: DB_PASSWORD, valueFrom: "k8s:secret/db-credentials/password"}
              - {name: TOKEN, valueFrom: "k8s:secret/Not_A_Name/token"}
              - {name: ONLY_NAME, valueFrom: "k8s:secret/db-credentials"}
        """;

    @Test
    void theKubernetesBackendAcceptsAWellFormedReferenceAndNamesTheBadOnes() {
      assertThat(VALIDATOR.validate(spec(TASK), ValidationContext.forCluster(new ClusterSpec())))
          .extracting(Problem::path, Problem::reason)
          .containsExactly(
              tuple("containerDefinitions[0].secrets[1].valueFrom", "InvalidSecretReference"),
              tuple("containerDefinitions[0].secrets[2].valueFrom", "InvalidSecretReference"));
    }

    @Test
    void theEcsBackendRefusesEveryKubernetesSecretReference() {
      ClusterSpec ecs = new ClusterSpec();
      ecs.backend = "ecs";
      assertThat(VALIDATOR.validate(spec(TASK), ValidationContext.forCluster(ecs)))
          .extracting(Problem::path)
          .containsExactly(
              "containerDefinitions[0].secrets[0].valueFrom",
              "containerDefinitions[0].secrets[1].valueFrom",
              "containerDefinitions[0].secrets[2].valueFrom");
      assertThat(VALIDATOR.validate(spec(TASK), ValidationContext.forCluster(ecs)).get(0).message())
          .contains("only on the kubernetes backend");
    }
  }

  @Nested
  class DnsAndSystemControls {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.0.0.2", "fd00::53", "::ffff:10.0.0.2"})
    void dnsServersAreIpAddresses(String server) {
      assertThat(validate(EC2 + "    dnsServers: ['" + server + "']\n")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dns.example.com", "10.0.0.256", "10.0.0.2:53", "fe80::1%eth0", ""})
    void aDnsServerThatIsNotAnAddressIsRefused(String server) {
      assertOnly(
          validate(EC2 + "    dnsServers: [10.0.0.2, '" + server + "']\n"),
          "containerDefinitions[0].dnsServers[1]",
          "InvalidDnsServer",
          "\"" + server + "\"");
    }

    @Test
    void searchDomainsAreDomainNames() {
      assertThat(validate(EC2 + "    dnsSearchDomains: [corp.example, Corp.Example., svc]\n"))
          .isEmpty();
      assertOnly(
          validate(EC2 + "    dnsSearchDomains: [corp.example, 'under_score.example', a..b]\n")
              .subList(0, 1),
          "containerDefinitions[0].dnsSearchDomains[1]",
          "InvalidDnsSearchDomain",
          "under_score.example");
    }

    @Test
    void networkSystemControlsAreRefusedWithHostNetworking() {
      List<Problem> problems =
          validate(
              """
              networkMode: host
              containerDefinitions:
                - name: web
                  image: nginx
                  memory: 512
                  systemControls:
                    - {namespace: kernel.shmmax, value: "68719476736"}
                    - {namespace: net.core.somaxconn, value: "1024"}
              """);
      assertOnly(
          problems,
          "containerDefinitions[0].systemControls[1].namespace",
          "SystemControlWithHostNamespace",
          "net.core.somaxconn",
          "networkMode host");
    }

    @Test
    void ipcSystemControlsAreRefusedWithHostIpc() {
      List<Problem> problems =
          validate(
              """
              ipcMode: host
              containerDefinitions:
                - name: web
                  image: nginx
                  memory: 512
                  systemControls:
                    - {namespace: net.core.somaxconn, value: "1024"}
                    - {namespace: fs.mqueue.msg_max, value: "64"}
              """);
      assertOnly(
          problems,
          "containerDefinitions[0].systemControls[1].namespace",
          "SystemControlWithHostNamespace",
          "fs.mqueue.msg_max",
          "ipcMode host");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vm.swappiness", "kernel.pid_max", "Net.Core.Somaxconn", "net..x"})
    void aSysctlThatIsNotNamespacedOrMalformedIsRefused(String name) {
      assertOnly(
          validate(EC2 + "    systemControls: [{namespace: '" + name + "', value: '1'}]\n"),
          "containerDefinitions[0].systemControls[0].namespace",
          "InvalidSystemControl",
          name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "net.ipv4.conf.all.rp_filter",
          "net/ipv4/conf/eth0.100/rp_filter",
          "kernel.shm_rmid_forced",
          "kernel.sem",
          "fs.mqueue.queues_max"
        })
    void namespacedSysctlsAreFine(String name) {
      assertThat(validate(EC2 + "    systemControls: [{namespace: '" + name + "', value: '1'}]\n"))
          .isEmpty();
    }

    @Test
    void containerCpuAddingUpPastTheTaskIsRefusedNamingTheTaskField() {
      assertOnly(
          validate(
              """
              cpu: "256"
              containerDefinitions:
                - {name: app, image: app, memory: 256, cpu: 224}
                - {name: xray, image: xray, memory: 256, cpu: 64}
              """),
          "cpu",
          "ContainerCpuTotalExceedsTask",
          "app 224",
          "xray 64");
    }
  }

  @Test
  void aMissingSpecIsAProgrammingError() {
    assertThatNullPointerException().isThrownBy(() -> VALIDATOR.validate(null));
  }

  /**
   * Finding 7: an execution role the operator's policy does not let it pass is a warning on the ecs
   * backend naming executionRoleArn (platform teams may extend the policy), nothing elsewhere.
   */
  @Test
  void anExecutionRoleOutsideThePassRoleStatementsIsAWarningOnEcs() {
    dev.tidewater.api.v1alpha1.cluster.ClusterSpec ecs =
        new dev.tidewater.api.v1alpha1.cluster.ClusterSpec();
    ecs.backend = "ecs";
    ValidationContext onEcs = ValidationContext.forCluster(ecs);
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    spec.executionRoleArn = "arn:aws:iam::123456789012:role/custom-exec";
    assertThat(TaskDefinitionValidator.warnings(spec, onEcs))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.field()).isEqualTo("spec.executionRoleArn");
              assertThat(w.reason()).isEqualTo(TaskDefinitionValidator.EXECUTION_ROLE_NOT_PASSABLE);
              assertThat(w.message()).contains("custom-exec", "deploy/iam-policy.json");
            });
    assertThat(
            TaskDefinitionValidator.warnings(
                spec,
                ValidationContext.forCluster(new dev.tidewater.api.v1alpha1.cluster.ClusterSpec())))
        .isEmpty();
    for (String passable :
        List.of(
            "ecsTaskExecutionRole",
            "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "arn:aws:iam::123456789012:role/ecs-execution/web",
            "arn:aws:iam::123456789012:role/tidewater/exec")) {
      spec.executionRoleArn = passable;
      assertThat(TaskDefinitionValidator.warnings(spec, onEcs)).as(passable).isEmpty();
    }
  }
}
