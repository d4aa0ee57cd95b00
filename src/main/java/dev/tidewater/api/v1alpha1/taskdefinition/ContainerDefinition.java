package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** A container of the task (ECS ContainerDefinition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.memory) || !has(self.memoryReservation) || self.memoryReservation <= self.memory",
    message = "memoryReservation must not exceed memory",
    fieldPath = ".memoryReservation")
public class ContainerDefinition {

  @JsonPropertyDescription("Container name, unique in the task.")
  @Required
  @Pattern("^[a-zA-Z0-9_-]{1,255}$")
  @Size(max = 255)
  public String name;

  @JsonPropertyDescription("Image reference.")
  @Required
  @Size(min = 1, max = 1024)
  public String image;

  @JsonPropertyDescription("Private registry credentials.")
  public RepositoryCredentials repositoryCredentials;

  @JsonPropertyDescription("CPU units reserved for the container (1024 = 1 vCPU).")
  @Min(0)
  public Integer cpu;

  @JsonPropertyDescription("Hard memory limit in MiB.")
  @Min(6)
  public Integer memory;

  @JsonPropertyDescription("Soft memory reservation in MiB.")
  @Min(6)
  public Integer memoryReservation;

  @JsonPropertyDescription("Legacy links (bridge mode only).")
  @Size(max = 64)
  public List<String> links;

  @JsonPropertyDescription("Ports the container exposes.")
  @Size(max = 100)
  public List<PortMapping> portMappings;

  @JsonPropertyDescription("When an essential container stops, the task stops (default true).")
  public Boolean essential;

  @JsonPropertyDescription("In-place restart policy.")
  public ContainerRestartPolicy restartPolicy;

  @JsonPropertyDescription("Entry point (Docker ENTRYPOINT).")
  @Size(max = 256)
  public List<String> entryPoint;

  @JsonPropertyDescription("Command (Docker CMD).")
  @Size(max = 256)
  public List<String> command;

  @JsonPropertyDescription("Environment variables.")
  @Size(max = 1000)
  @ListMapKeys("name")
  public List<KeyValuePair> environment;

  @JsonPropertyDescription("Environment files in S3.")
  @Size(max = 10)
  public List<EnvironmentFile> environmentFiles;

  @JsonPropertyDescription("Volume mounts.")
  @Size(max = 100)
  public List<MountPoint> mountPoints;

  @JsonPropertyDescription("Volumes from other containers.")
  @Size(max = 10)
  public List<VolumeFrom> volumesFrom;

  @JsonPropertyDescription("Linux-specific settings.")
  public LinuxParameters linuxParameters;

  @JsonPropertyDescription("Secrets exposed as environment variables.")
  @Size(max = 1000)
  @ListMapKeys("name")
  public List<Secret> secrets;

  @JsonPropertyDescription("Containers this one waits for.")
  @Size(max = 10)
  @ListMapKeys("containerName")
  public List<ContainerDependency> dependsOn;

  @JsonPropertyDescription("Seconds to wait for dependencies.")
  @Min(0)
  public Integer startTimeout;

  @JsonPropertyDescription("Seconds before SIGKILL after SIGTERM.")
  @Min(0)
  @Max(120)
  public Integer stopTimeout;

  @JsonPropertyDescription("enabled or disabled: pin the image digest per deployment.")
  @SchemaEnum({"enabled", "disabled"})
  public String versionConsistency;

  @JsonPropertyDescription("Container host name (not under awsvpc).")
  public String hostname;

  @JsonPropertyDescription("User (and group) to run as.")
  public String user;

  @JsonPropertyDescription("Working directory.")
  public String workingDirectory;

  @JsonPropertyDescription("Disable networking.")
  public Boolean disableNetworking;

  @JsonPropertyDescription("Privileged mode (subject to the Cluster guardrails).")
  public Boolean privileged;

  @JsonPropertyDescription("Read-only root filesystem.")
  public Boolean readonlyRootFilesystem;

  @JsonPropertyDescription("DNS servers.")
  @Size(max = 10)
  public List<String> dnsServers;

  @JsonPropertyDescription("DNS search domains.")
  @Size(max = 10)
  public List<String> dnsSearchDomains;

  @JsonPropertyDescription("Extra /etc/hosts entries.")
  @Size(max = 100)
  public List<HostEntry> extraHosts;

  @JsonPropertyDescription("Docker security options (SELinux, AppArmor, credentialspec).")
  @Size(max = 20)
  public List<String> dockerSecurityOptions;

  @JsonPropertyDescription("Keep stdin open.")
  public Boolean interactive;

  @JsonPropertyDescription("Allocate a TTY.")
  public Boolean pseudoTerminal;

  @JsonPropertyDescription("Docker labels.")
  public Map<String, String> dockerLabels;

  @JsonPropertyDescription("ulimits.")
  @Size(max = 20)
  @ListMapKeys("name")
  public List<Ulimit> ulimits;

  @JsonPropertyDescription("Log configuration.")
  public LogConfiguration logConfiguration;

  @JsonPropertyDescription("Health check.")
  public HealthCheck healthCheck;

  @JsonPropertyDescription("Namespaced kernel parameters.")
  @Size(max = 50)
  public List<SystemControl> systemControls;

  @JsonPropertyDescription("GPUs or inference accelerators.")
  @Size(max = 2)
  public List<ResourceRequirement> resourceRequirements;

  @JsonPropertyDescription("FireLens log router settings.")
  public FirelensConfiguration firelensConfiguration;

  @JsonPropertyDescription("gMSA credential specs (Windows / Linux gMSA).")
  @Size(max = 1)
  public List<String> credentialSpecs;
}
