package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** Log driver and options of a container (ECS LogConfiguration). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogConfiguration {

  @JsonPropertyDescription(
      "json-file, syslog, journald, gelf, fluentd, awslogs, splunk or awsfirelens.")
  @Required
  @SchemaEnum({
    "json-file",
    "syslog",
    "journald",
    "gelf",
    "fluentd",
    "awslogs",
    "splunk",
    "awsfirelens"
  })
  public String logDriver;

  @JsonPropertyDescription("Log driver options.")
  public Map<String, String> options;

  @JsonPropertyDescription("Secrets passed to the log configuration.")
  public List<Secret> secretOptions;
}
