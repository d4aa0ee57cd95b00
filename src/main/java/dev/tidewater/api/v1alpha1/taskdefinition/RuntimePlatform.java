package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;

/** CPU architecture and operating system family. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimePlatform {

  @JsonPropertyDescription("X86_64 or ARM64.")
  @SchemaEnum({"X86_64", "ARM64"})
  public String cpuArchitecture;

  @JsonPropertyDescription("LINUX or a WINDOWS_SERVER_* family.")
  @SchemaEnum({
    "LINUX",
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2016_FULL",
    "WINDOWS_SERVER_2004_CORE",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2025_CORE",
    "WINDOWS_SERVER_2025_FULL",
    "WINDOWS_SERVER_20H2_CORE"
  })
  public String operatingSystemFamily;
}
