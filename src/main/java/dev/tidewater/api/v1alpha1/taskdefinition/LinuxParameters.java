package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Linux-specific container settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LinuxParameters {

  @JsonPropertyDescription("Capabilities added or dropped.")
  public KernelCapabilities capabilities;

  @JsonPropertyDescription("Host devices.")
  @Size(max = 64)
  public List<Device> devices;

  @JsonPropertyDescription("Run an init process as PID 1.")
  public Boolean initProcessEnabled;

  @JsonPropertyDescription("/dev/shm size in MiB.")
  @Min(0)
  public Integer sharedMemorySize;

  @JsonPropertyDescription("tmpfs mounts.")
  @Size(max = 64)
  public List<Tmpfs> tmpfs;

  @JsonPropertyDescription("Swap in MiB.")
  @Min(0)
  public Integer maxSwap;

  @JsonPropertyDescription("Swappiness 0-100.")
  @Min(0)
  @Max(100)
  public Integer swappiness;
}
