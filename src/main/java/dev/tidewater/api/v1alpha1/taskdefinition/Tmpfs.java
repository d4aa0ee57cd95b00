package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A tmpfs mount. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tmpfs {

  @JsonPropertyDescription("Path in the container.")
  @Required
  public String containerPath;

  @JsonPropertyDescription("Size in MiB.")
  @Required
  @Min(1)
  public Integer size;

  @JsonPropertyDescription("Mount options.")
  @Size(max = 64)
  public List<String> mountOptions;
}
