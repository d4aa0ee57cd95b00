package dev.tidewater.model;

import static dev.tidewater.model.TaskDefinitionValidatorTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Pod Security guardrails as the validator runs them (reconcilers of both backends, the CLI):
 * each bypass issue 19 found under a Cluster that does not allow privileged tasks is one case, on a
 * non-essential sidecar so that every container is seen to be checked.
 */
class PodSecurityGuardrailsTest {

  private static final TaskDefinitionValidator VALIDATOR = new TaskDefinitionValidator();

  /** An app and a non-essential sidecar, the sidecar carrying {@code sidecar} (YAML fields). */
  private static String task(String sidecar) {
    return """
        containerDefinitions:
          - {name: app, image: nginx, memory: 256}
          - name: sidecar
            image: busybox
            memory: 128
            essential: false
        """
        + sidecar.indent(4);
  }

  private static ValidationContext cluster(String backend, Boolean allowPrivileged, String level) {
    ClusterSpec c = new ClusterSpec();
    c.backend = backend;
    c.guardrails = new Guardrails();
    c.guardrails.allowPrivileged = allowPrivileged;
    c.guardrails.podSecurity = level;
    return ValidationContext.forCluster(c);
  }

  private static final ValidationContext DEFAULTS = ValidationContext.forCluster(new ClusterSpec());

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "linuxParameters: {capabilities: {add: [ALL]}}"
            + " | linuxParameters.capabilities.add[0] | CapabilityNotAllowed | ALL",
        "linuxParameters: {capabilities: {add: [CHOWN, SYS_ADMIN]}}"
            + " | linuxParameters.capabilities.add[1] | CapabilityNotAllowed | SYS_ADMIN",
        "linuxParameters: {capabilities: {add: [SYS_MODULE]}}"
            + " | linuxParameters.capabilities.add[0] | CapabilityNotAllowed | SYS_MODULE",
        "linuxParameters: {capabilities: {add: [NET_RAW]}}"
            + " | linuxParameters.capabilities.add[0] | CapabilityNotAllowed | NET_RAW",
        "linuxParameters: {devices: [{hostPath: /dev/mem}]}"
            + " | linuxParameters.devices[0].hostPath | DeviceNotAllowed | /dev/mem",
        "dockerSecurityOptions: ['apparmor:unconfined']"
            + " | dockerSecurityOptions[0] | AppArmorNotAllowed | unconfined",
        "dockerSecurityOptions: ['seccomp:unconfined']"
            + " | dockerSecurityOptions[0] | SeccompNotAllowed | unconfined",
        "dockerSecurityOptions: ['seccomp=unconfined']"
            + " | dockerSecurityOptions[0] | SeccompNotAllowed | unconfined",
        "dockerSecurityOptions: [no-new-privileges, 'label:disable']"
            + " | dockerSecurityOptions[1] | SeLinuxNotAllowed | label:disable",
        "dockerSecurityOptions: [disable]"
            + " | dockerSecurityOptions[0] | SeLinuxNotAllowed | disable",
        "dockerSecurityOptions: ['seccomp={}']"
            + " | dockerSecurityOptions[0] | SeccompNotAllowed | inline profile",
        "dockerSecurityOptions: [writable-cgroups]"
            + " | dockerSecurityOptions[0] | SecurityOptionNotAllowed | writable-cgroups",
        "dockerSecurityOptions: ['label=disable']"
            + " | dockerSecurityOptions[0] | SeLinuxNotAllowed | label=disable",
        "dockerSecurityOptions: ['label:type:spc_t']"
            + " | dockerSecurityOptions[0] | SeLinuxNotAllowed | spc_t",
        "dockerSecurityOptions: ['label:user:system_u']"
            + " | dockerSecurityOptions[0] | SeLinuxNotAllowed | user",
        "dockerSecurityOptions: ['label:role:system_r']"
            + " | dockerSecurityOptions[0] | SeLinuxNotAllowed | role",
        "systemControls: [{namespace: net.core.somaxconn, value: '1024'}]"
            + " | systemControls[0].namespace | SysctlNotAllowed | net.core.somaxconn",
        "systemControls: [{namespace: kernel.msgmax, value: '65536'}]"
            + " | systemControls[0].namespace | SysctlNotAllowed | kernel.msgmax",
      })
  void baselineRefusesOnEveryContainer(String sidecar, String path, String reason, String named) {
    List<Problem> problems = VALIDATOR.validate(spec(task(sidecar)), DEFAULTS);
    assertThat(problems)
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("containerDefinitions[1]." + path, reason));
    assertThat(problems.get(0).message()).contains(named, "guardrails.allowPrivileged", "sidecar");
    // guardrails.allowPrivileged: true lifts the Pod Security level altogether
    assertThat(VALIDATOR.validate(spec(task(sidecar)), cluster(null, true, null))).isEmpty();
    // without a Cluster (the CLI on a lone file) nothing is guarded
    assertThat(VALIDATOR.validate(spec(task(sidecar)), ValidationContext.NONE)).isEmpty();
  }

  @Test
  void aDockerVolumesDriverOptsMountingTheHostAreAHostPath() {
    String td =
        task("mountPoints: [{sourceVolume: root, containerPath: /host}]")
            + """
            volumes:
              - name: root
                dockerVolumeConfiguration:
                  driver: local
                  scope: task
                  driverOpts: {type: none, o: bind, device: /}
            """;
    assertThat(VALIDATOR.validate(spec(td), DEFAULTS))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("volumes[0].dockerVolumeConfiguration.driverOpts", "HostPathNotAllowed"));
    ClusterSpec hostPaths = new ClusterSpec();
    hostPaths.guardrails = new Guardrails();
    hostPaths.guardrails.allowHostPath = true;
    assertThat(VALIDATOR.validate(spec(td), ValidationContext.forCluster(hostPaths))).isEmpty();
  }

  @Test
  void kernelCorePatternIsRefusedAsAGuardrailToo() {
    // Docker refuses it anyway (not namespaced); the guardrail names the Pod Security reason
    List<Problem> problems =
        VALIDATOR.validate(
            spec(task("systemControls: [{namespace: kernel.core_pattern, value: '|/x'}]")),
            DEFAULTS);
    assertThat(problems)
        .extracting(Problem::path, Problem::reason)
        .contains(tuple("containerDefinitions[1].systemControls[0].namespace", "SysctlNotAllowed"));
  }

  @Test
  void whatBaselineAllowsPasses() {
    String sidecar =
        """
        linuxParameters:
          capabilities: {add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD,
            NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT], drop: [NET_RAW]}
        dockerSecurityOptions: [no-new-privileges, 'apparmor:runtime/default',
          'apparmor:my-profile', 'label:type:container_t', 'label:level:s0:c1,c2',
          'seccomp:/etc/seccomp/strict.json']
        systemControls:
          - {namespace: net.ipv4.ip_local_port_range, value: '1024 65000'}
          - {namespace: kernel.shm_rmid_forced, value: '1'}
        user: "0"
        """;
    assertThat(VALIDATOR.validate(spec(task(sidecar)), DEFAULTS)).isEmpty();
  }

  @Test
  void theEcsBypassOfTheIssueIsRefusedFieldByField() {
    String td =
        """
        pidMode: host
        ipcMode: host
        containerDefinitions:
          - name: app
            image: nginx
            memory: 256
            linuxParameters:
              capabilities: {add: [ALL]}
              devices: [{hostPath: /dev/mem, containerPath: /dev/mem}]
            dockerSecurityOptions: ['seccomp:unconfined']
        """;
    assertThat(VALIDATOR.validate(spec(td), cluster("ecs", false, null)))
        .extracting(Problem::path, Problem::reason)
        .containsExactlyInAnyOrder(
            tuple("pidMode", "HostPidNotAllowed"),
            tuple("ipcMode", "HostIpcNotAllowed"),
            tuple(
                "containerDefinitions[0].linuxParameters.capabilities.add[0]",
                "CapabilityNotAllowed"),
            tuple(
                "containerDefinitions[0].linuxParameters.devices[0].hostPath", "DeviceNotAllowed"),
            tuple("containerDefinitions[0].dockerSecurityOptions[0]", "SeccompNotAllowed"));
  }

  @ParameterizedTest(name = "user {0}")
  @CsvSource({"0", "root", "0:0", "root:wheel", "000"})
  void restrictedRefusesRoot(String user) {
    List<Problem> problems =
        VALIDATOR.validate(
            spec(task("user: '" + user + "'")), cluster("kubernetes", null, "restricted"));
    assertThat(problems)
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("containerDefinitions[1].user", "RunAsRootNotAllowed"));
    assertThat(problems.get(0).message()).contains(user, "guardrails.podSecurity");
    // baseline lets a container run as root, as Pod Security baseline does
    assertThat(VALIDATOR.validate(spec(task("user: '" + user + "'")), DEFAULTS)).isEmpty();
  }

  @Test
  void restrictedWithoutAUserNeedsOneOnEcsOnly() {
    String both = task("user: '1000:1000'").replace("memory: 256}", "memory: 256, user: '1000'}");
    assertThat(VALIDATOR.validate(spec(both), cluster("ecs", null, "restricted"))).isEmpty();
    // the kubernetes backend renders runAsNonRoot: the kubelet refuses a root image user
    assertThat(VALIDATOR.validate(spec(task("")), cluster("kubernetes", null, "restricted")))
        .isEmpty();
    assertThat(VALIDATOR.validate(spec(task("")), cluster("ecs", null, "restricted")))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].user", "RunAsRootNotAllowed"),
            tuple("containerDefinitions[1].user", "RunAsRootNotAllowed"));
  }

  @Test
  void restrictedAllowsOnlyNetBindServiceAndPlainVolumes() {
    String td =
        """
        volumes:
          - {name: logs, host: {sourcePath: /var/log}}
          - {name: nfs, dockerVolumeConfiguration: {driver: local, driverOpts: {type: nfs}}}
          - {name: ebs, dockerVolumeConfiguration: {driver: rexray/ebs}}
          - {name: scratch, dockerVolumeConfiguration: {driver: local, scope: task}}
        containerDefinitions:
          - name: app
            image: nginx
            memory: 256
            user: "1000"
            linuxParameters: {capabilities: {add: [NET_BIND_SERVICE, CHOWN]}}
        """;
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.podSecurity = "restricted";
    c.guardrails.allowHostPath = true;
    assertThat(VALIDATOR.validate(spec(td), ValidationContext.forCluster(c)))
        .extracting(Problem::path, Problem::reason)
        .containsExactlyInAnyOrder(
            tuple("volumes[0].host.sourcePath", "HostPathNotAllowed"),
            tuple("volumes[1].dockerVolumeConfiguration.driverOpts", "VolumeTypeNotAllowed"),
            tuple("volumes[2].dockerVolumeConfiguration.driver", "VolumeTypeNotAllowed"),
            tuple(
                "containerDefinitions[0].linuxParameters.capabilities.add[1]",
                "CapabilityNotAllowed"));
  }

  @Test
  void theLevelFollowsTheGuardrails() {
    assertThat(ValidationContext.NONE.podSecurity())
        .isEqualTo(ValidationContext.PodSecurity.PRIVILEGED);
    assertThat(DEFAULTS.podSecurity()).isEqualTo(ValidationContext.PodSecurity.BASELINE);
    assertThat(cluster(null, null, "restricted").podSecurity())
        .isEqualTo(ValidationContext.PodSecurity.RESTRICTED);
    assertThat(cluster(null, true, "restricted").podSecurity())
        .isEqualTo(ValidationContext.PodSecurity.PRIVILEGED);
  }

  /** Two containers, the second adding NET_BIND_SERVICE, on {@code compatibility}. */
  private static TaskDefinitionSpec restrictedTask(String extra) {
    return spec(
        """
        %s
        containerDefinitions:
          - {name: app, image: nginx, memory: 256, user: '1000'}
          - name: proxy
            image: envoy
            memory: 128
            user: '1000'
            linuxParameters: {capabilities: {add: [NET_BIND_SERVICE], drop: [NET_RAW]}}
        """
            .formatted(extra));
  }

  @Test
  void restrictedOnEcsEc2DropsEveryCapabilityAndEscalation() {
    TaskDefinitionSpec spec = restrictedTask("requiresCompatibilities: [EC2]");
    TaskDefinitionSpec hardened =
        PodSecurityGuardrails.hardenedForEcs(spec, cluster("ecs", false, "restricted"));

    assertThat(hardened.containerDefinitions)
        .allSatisfy(
            c -> {
              assertThat(c.linuxParameters.capabilities.drop).contains("ALL");
              assertThat(c.dockerSecurityOptions).containsExactly("no-new-privileges");
            });
    // the allowed add stays (Docker adds after dropping), the user's own drop too
    assertThat(hardened.containerDefinitions.get(1).linuxParameters.capabilities.add)
        .containsExactly("NET_BIND_SERVICE");
    assertThat(hardened.containerDefinitions.get(1).linuxParameters.capabilities.drop)
        .containsExactly("NET_RAW", "ALL");
    // a copy: the resource's spec is not changed
    assertThat(spec.containerDefinitions.get(0).linuxParameters).isNull();
    // and what is added passes the guardrails it enforces
    assertThat(VALIDATOR.validate(hardened, cluster("ecs", false, "restricted"))).isEmpty();
    // hardening twice adds nothing more (the same revision hash)
    assertThat(
            CanonicalTaskDefinition.of(
                    PodSecurityGuardrails.hardenedForEcs(
                        hardened, cluster("ecs", false, "restricted")))
                .hash())
        .isEqualTo(CanonicalTaskDefinition.of(hardened).hash());
  }

  @Test
  void restrictedOnFargateDropsCapabilitiesButSetsNoDockerSecurityOptions() {
    TaskDefinitionSpec hardened =
        PodSecurityGuardrails.hardenedForEcs(
            restrictedTask("requiresCompatibilities: [FARGATE]\nnetworkMode: awsvpc"),
            cluster("ecs", false, "restricted"));
    assertThat(hardened.containerDefinitions)
        .allSatisfy(
            c -> {
              assertThat(c.linuxParameters.capabilities.drop).contains("ALL");
              assertThat(c.dockerSecurityOptions).isNull();
            });
  }

  @Test
  void baselineAndWindowsTasksAreRegisteredAsWritten() {
    TaskDefinitionSpec spec = restrictedTask("requiresCompatibilities: [EC2]");
    assertThat(PodSecurityGuardrails.hardenedForEcs(spec, cluster("ecs", false, null)))
        .isSameAs(spec);
    assertThat(PodSecurityGuardrails.hardenedForEcs(spec, ValidationContext.NONE)).isSameAs(spec);
    TaskDefinitionSpec windows =
        restrictedTask(
            "requiresCompatibilities: [EC2]\n"
                + "runtimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2022_CORE}");
    assertThat(PodSecurityGuardrails.hardenedForEcs(windows, cluster("ecs", false, "restricted")))
        .isSameAs(windows);
  }

  @Test
  void restrictedRefusesTurningNoNewPrivilegesOff() {
    assertThat(
            VALIDATOR.validate(
                spec(
                    task("user: '1000'\ndockerSecurityOptions: ['no-new-privileges:false']")
                        .replace("memory: 256}", "memory: 256, user: '1000'}")),
                cluster("ecs", false, "restricted")))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[1].dockerSecurityOptions[0]", "SecurityOptionNotAllowed"));
    // under baseline it is the user's choice
    assertThat(
            VALIDATOR.validate(
                spec(task("dockerSecurityOptions: ['no-new-privileges:false']")),
                cluster("ecs", false, null)))
        .isEmpty();
  }

  @Test
  void aRevisionRegisteredBeforeRestrictedAppliedIsRefusedOnEcs() {
    // as DescribeTaskDefinition gives a revision registered under baseline
    TaskDefinitionSpec registered = restrictedTask("requiresCompatibilities: [EC2]");
    ValidationContext restricted = cluster("ecs", false, "restricted");
    assertThat(PodSecurityGuardrails.checkRegisteredOnEcs(registered, restricted))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].linuxParameters.capabilities.drop",
                "CapabilityNotAllowed"),
            tuple("containerDefinitions[0].dockerSecurityOptions", "SecurityOptionNotAllowed"),
            tuple(
                "containerDefinitions[1].linuxParameters.capabilities.drop",
                "CapabilityNotAllowed"),
            tuple("containerDefinitions[1].dockerSecurityOptions", "SecurityOptionNotAllowed"));
    // one registered under restricted passes, and under baseline nothing more is asked
    assertThat(
            PodSecurityGuardrails.checkRegisteredOnEcs(
                PodSecurityGuardrails.hardenedForEcs(registered, restricted), restricted))
        .isEmpty();
    assertThat(PodSecurityGuardrails.checkRegisteredOnEcs(registered, cluster("ecs", false, null)))
        .isEmpty();
  }
}
