package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A volume configured at launch (configuredAtLaunch in the task definition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceVolumeConfiguration {

  @JsonPropertyDescription("Name of the task definition volume.")
  @Required
  public String name;

  @JsonPropertyDescription("The EBS volume.")
  public ServiceManagedEbsVolumeConfiguration managedEBSVolume;
}
