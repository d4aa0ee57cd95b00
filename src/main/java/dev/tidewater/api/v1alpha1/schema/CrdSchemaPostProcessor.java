package dev.tidewater.api.v1alpha1.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tidewater.api.v1alpha1.TidewaterKinds;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Completes the generated CRD schemas with what fabric8's generator cannot express: {@code enum}
 * from {@link SchemaEnum}, {@code x-kubernetes-list-type: map} from {@link ListMapKeys}, the
 * descriptions of the kind, its spec and status from {@link KindDescription} and of the fields of
 * Kubernetes types we embed (conditions, tolerations), and printer columns in the order they are
 * declared on the class. Runs at build time (configured as the Quarkus Operator SDK's CRD
 * post-processor).
 */
public class CrdSchemaPostProcessor implements CRDPostProcessor {

  /**
   * Field descriptions of the Kubernetes model classes in our schemas, which carry none (so {@code
   * kubectl explain} would show {@code <empty>}); worded after the Kubernetes API reference.
   */
  static final Map<Class<?>, Map<String, String>> EMBEDDED =
      Map.of(
          Condition.class,
          Map.of(
              "type", "Ready, Progressing or Degraded.",
              "status", "True, False or Unknown.",
              "reason", "Machine-readable reason, in CamelCase.",
              "message", "Human-readable details: the field or object concerned and what to do.",
              "lastTransitionTime", "When the status of this condition last changed.",
              "observedGeneration", "The metadata.generation this condition was set for."),
          Toleration.class,
          Map.of(
              "key", "Taint key tolerated; empty with operator Exists matches every key.",
              "operator", "Exists or Equal (default Equal).",
              "value", "Taint value tolerated (operator Equal).",
              "effect",
                  "Taint effect tolerated: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.",
              "tolerationSeconds",
                  "How long a NoExecute taint is tolerated before eviction (default: for ever)."));

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition definition)) {
      return crd;
    }
    String kind = definition.getSpec().getNames().getKind();
    // the cluster-scoped policy kind is not one of the workload kinds, but is described alike
    Class<?> resource =
        HasMetadata.getKind(TenancyPolicy.class).equals(kind)
            ? TenancyPolicy.class
            : TidewaterKinds.byKind(kind);
    if (resource == null) {
      return crd;
    }
    Type[] parts = ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments();
    KindDescription described = resource.getAnnotation(KindDescription.class);
    if (described == null) {
      throw new IllegalStateException(
          resource.getName() + " has no @KindDescription: kubectl explain would show <empty>");
    }
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      var root = version.getSchema().getOpenAPIV3Schema();
      root.setDescription(described.value());
      root.getProperties().get("spec").setDescription(described.spec());
      root.getProperties().get("status").setDescription(described.status());
      walk((Class<?>) parts[0], root.getProperties().get("spec"));
      walk((Class<?>) parts[1], root.getProperties().get("status"));
      orderColumns(resource, version);
    }
    return crd;
  }

  private static void walk(Class<?> type, JSONSchemaProps schema) {
    if (schema == null || schema.getProperties() == null) {
      return;
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) continue;
        JSONSchemaProps prop = schema.getProperties().get(jsonName(field));
        if (prop == null) continue;
        boolean isList = List.class.isAssignableFrom(field.getType());
        JSONSchemaProps items =
            isList && prop.getItems() != null ? prop.getItems().getSchema() : null;
        SchemaEnum values = field.getAnnotation(SchemaEnum.class);
        if (values != null) {
          List<JsonNode> allowed =
              Arrays.stream(values.value()).map(v -> (JsonNode) new TextNode(v)).toList();
          (items != null ? items : prop).setEnum(allowed);
        }
        ListMapKeys keys = field.getAnnotation(ListMapKeys.class);
        if (keys != null && items != null) {
          prop.setXKubernetesListType("map");
          prop.setXKubernetesListMapKeys(List.of(keys.value()));
          List<String> required =
              new ArrayList<>(items.getRequired() == null ? List.of() : items.getRequired());
          for (String k : keys.value()) {
            if (!required.contains(k)) required.add(k);
          }
          items.setRequired(required);
        }
        Class<?> element = isList ? elementClass(field) : field.getType();
        if (element != null && element.getName().startsWith("dev.tidewater.")) {
          walk(element, items != null ? items : prop);
        } else if (element != null && EMBEDDED.containsKey(element)) {
          describe(EMBEDDED.get(element), items != null ? items : prop);
        }
      }
    }
  }

  private static void describe(Map<String, String> descriptions, JSONSchemaProps schema) {
    if (schema.getProperties() == null) return;
    schema
        .getProperties()
        .forEach(
            (name, prop) -> {
              if (prop.getDescription() == null && descriptions.containsKey(name)) {
                prop.setDescription(descriptions.get(name));
              }
            });
  }

  private static Class<?> elementClass(Field field) {
    if (field.getGenericType() instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return null;
  }

  private static String jsonName(Field field) {
    JsonProperty p = field.getAnnotation(JsonProperty.class);
    return p != null && !p.value().isEmpty() ? p.value() : field.getName();
  }

  private static void orderColumns(Class<?> resource, CustomResourceDefinitionVersion version) {
    List<String> declared =
        Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    if (version.getAdditionalPrinterColumns() == null || declared.isEmpty()) {
      return;
    }
    List<CustomResourceColumnDefinition> columns =
        new ArrayList<>(version.getAdditionalPrinterColumns());
    columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    version.setAdditionalPrinterColumns(columns);
  }
}
