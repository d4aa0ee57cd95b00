package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** CloudWatch alarms that fail a deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentAlarms {

  @JsonPropertyDescription("Alarm names.")
  @Required
  @Size(max = 10)
  public List<String> alarmNames;

  @JsonPropertyDescription("Roll back when an alarm fires.")
  @Required
  public Boolean rollback;

  @JsonPropertyDescription("Use the alarms.")
  @Required
  public Boolean enable;
}
