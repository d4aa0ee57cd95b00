package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** The target group health check. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetHealthCheck {

  @JsonPropertyDescription("HTTP path.")
  @Size(max = 1024)
  public String path;

  @JsonPropertyDescription("HTTP, HTTPS or TCP.")
  @SchemaEnum({"HTTP", "HTTPS", "TCP"})
  public String protocol;

  @JsonPropertyDescription("traffic-port or a port number.")
  public String port;

  @JsonPropertyDescription("Success codes, e.g. \"200\" or \"200-399\".")
  public String matcher;

  @JsonPropertyDescription("Seconds between checks.")
  @Min(5)
  @Max(300)
  public Integer intervalSeconds;

  @JsonPropertyDescription("Seconds before a check fails.")
  @Min(2)
  @Max(120)
  public Integer timeoutSeconds;

  @JsonPropertyDescription("Successes before healthy.")
  @Min(2)
  @Max(10)
  public Integer healthyThresholdCount;

  @JsonPropertyDescription("Failures before unhealthy.")
  @Min(2)
  @Max(10)
  public Integer unhealthyThresholdCount;
}
