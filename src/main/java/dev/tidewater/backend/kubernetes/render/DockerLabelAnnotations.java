package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.DOCKER_LABEL_ANNOTATION_PREFIX;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Docker label family: every container's dockerLabels as annotations of the pod, which has one
 * set of them (the first value of a label wins).
 */
final class DockerLabelAnnotations {
  private static final String DOCKER_LABEL_NAME_PREFIX = "docker-label.";
  // "<key>" and "<prefix>/<key>" annotation name part: 63 characters, alphanumerics at the ends.
  private static final Pattern ANNOTATION_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private final PodRendering r;
  private final Map<String, String> annotations = new TreeMap<>();
  private final Map<String, String> labelOrigin = new HashMap<>();

  DockerLabelAnnotations(PodRendering r) {
    this.r = r;
  }

  /** The pod's annotations so far, sorted by name. */
  Map<String, String> annotations() {
    return annotations;
  }

  void dockerLabels(int i, ContainerDefinition d) {
    if (d.dockerLabels == null) {
      return;
    }
    new TreeMap<>(d.dockerLabels)
        .forEach(
            (key, value) -> {
              String annotation = annotation(key);
              String old = annotations.get(annotation);
              if (old != null && !old.equals(value == null ? "" : value)) {
                r.warn(
                    containerPath(i) + ".dockerLabels",
                    MappingReasons.DOCKER_LABEL_CONFLICT,
                    "Docker label "
                        + key
                        + " has another value in container \""
                        + labelOrigin.get(annotation)
                        + "\"; a pod has one set of annotations and the first value is kept");
                return;
              }
              annotations.put(annotation, value == null ? "" : value);
              labelOrigin.putIfAbsent(annotation, d.name);
            });
  }

  /**
   * The annotation of Docker label {@code key}, as {@link
   * PodTemplateRenderer#dockerLabelAnnotation} says.
   */
  static String annotation(String key) {
    String domain =
        DOCKER_LABEL_ANNOTATION_PREFIX.substring(0, DOCKER_LABEL_ANNOTATION_PREFIX.indexOf('/'));
    String plain = DOCKER_LABEL_NAME_PREFIX + key;
    if (ANNOTATION_NAME.matcher(plain).matches()) {
      return domain + "/" + plain;
    }
    StringBuilder s = new StringBuilder();
    for (char ch : plain.toCharArray()) {
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '-'
              || ch == '_'
              || ch == '.';
      s.append(ok ? ch : '_');
    }
    String readable = s.length() > 54 ? s.substring(0, 54) : s.toString();
    return domain + "/" + readable + "-" + KubernetesNames.hash(key);
  }
}
