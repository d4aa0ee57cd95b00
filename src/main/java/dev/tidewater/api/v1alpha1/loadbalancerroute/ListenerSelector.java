package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The listener the rules go to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.arn) || has(self.port)", message = "arn or port is required")
public class ListenerSelector {

  @JsonPropertyDescription("Listener ARN.")
  @Size(max = 2048)
  public String arn;

  @JsonPropertyDescription("Listener port (with protocol, when no ARN).")
  @Min(1)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP.")
  @SchemaEnum({"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"})
  public String protocol;

  @JsonPropertyDescription("Certificate of an HTTPS / TLS listener (ingress mode).")
  public String certificateArn;
}
