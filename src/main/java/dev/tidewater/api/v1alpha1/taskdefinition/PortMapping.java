package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A port the container exposes (ECS PortMapping). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.containerPort) || has(self.containerPortRange)",
    message = "containerPort or containerPortRange is required",
    reason = "FieldValueRequired",
    fieldPath = ".containerPort")
public class PortMapping {

  @JsonPropertyDescription("Port in the container.")
  @Min(0)
  @Max(65535)
  public Integer containerPort;

  @JsonPropertyDescription(
      "Port on the host; 0 or absent picks a dynamic port under bridge; must equal containerPort under awsvpc.")
  @Min(0)
  @Max(65535)
  public Integer hostPort;

  @JsonPropertyDescription("tcp (default) or udp.")
  @SchemaEnum({"tcp", "udp"})
  public String protocol;

  @JsonPropertyDescription("Port name, used by Service Connect and as the Kubernetes port name.")
  @Pattern("^[a-z0-9_][a-z0-9_-]{0,63}$")
  public String name;

  @JsonPropertyDescription("http, http2 or grpc.")
  @SchemaEnum({"http", "http2", "grpc"})
  public String appProtocol;

  @JsonPropertyDescription("A port range \"start-end\" (instead of containerPort).")
  @Pattern("^[0-9]{1,5}-[0-9]{1,5}$")
  @Size(max = 11)
  public String containerPortRange;
}
