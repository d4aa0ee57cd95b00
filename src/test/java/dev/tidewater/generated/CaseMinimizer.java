package dev.tidewater.generated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import io.fabric8.generator.annotation.Required;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Shrinks a failing case to a small one that still fails the same way: removes list elements and
 * optional fields (never {@code @Required} ones) one at a time, keeping each removal that leaves
 * the case valid (the validators find nothing) and failing. Greedy, with a budget of attempts.
 */
final class CaseMinimizer {

  private CaseMinimizer() {}

  /** The smallest case found that still satisfies {@code fails}. */
  static GeneratedCase minimize(GeneratedCase start, Predicate<GeneratedCase> fails, int budget) {
    GeneratedCase current = start;
    if (start.cluster() != null && start.cluster().placement != null) {
      // the Cluster's placement rarely matters: try without it first
      var bare = GeneratedCases.copy(start.cluster());
      bare.placement = null;
      GeneratedCase candidate =
          new GeneratedCase(
              start.seed(),
              start.task(),
              start.service(),
              bare,
              start.strictGuardrails(),
              start.shape());
      if (GeneratedCases.validate(candidate).isEmpty() && fails.test(candidate))
        current = candidate;
    }
    int attempts = 0;
    boolean changed = true;
    while (changed && attempts < budget) {
      changed = false;
      for (boolean taskSide : new boolean[] {true, false}) {
        JsonNode tree =
            GeneratedCases.SERIALIZATION.convertValue(
                taskSide ? current.task() : current.service(), JsonNode.class);
        List<List<Object>> edits = new ArrayList<>();
        candidates(
            tree,
            taskSide ? TaskDefinitionSpec.class : EcsServiceSpec.class,
            new ArrayList<>(),
            edits);
        // later elements first, so removing one does not shift the indexes of those still to try
        for (int k = edits.size() - 1; k >= 0 && attempts < budget; k--) {
          JsonNode candidateTree = tree.deepCopy();
          if (!remove(candidateTree, edits.get(k))) continue;
          GeneratedCase candidate;
          try {
            candidate =
                taskSide
                    ? GeneratedCases.withSpecs(
                        current,
                        GeneratedCases.SERIALIZATION.convertValue(
                            candidateTree, TaskDefinitionSpec.class),
                        current.service())
                    : GeneratedCases.withSpecs(
                        current,
                        current.task(),
                        GeneratedCases.SERIALIZATION.convertValue(
                            candidateTree, EcsServiceSpec.class));
          } catch (RuntimeException e) {
            continue;
          }
          attempts++;
          if (!GeneratedCases.validate(candidate).isEmpty()) continue;
          boolean still;
          try {
            still = fails.test(candidate);
          } catch (RuntimeException e) {
            still = false;
          }
          if (still) {
            current = candidate;
            tree = candidateTree;
            changed = true;
          }
        }
      }
    }
    return current;
  }

  /** Paths of removable nodes, in document order: list elements and optional object fields. */
  private static void candidates(
      JsonNode node, Type type, List<Object> path, List<List<Object>> out) {
    Class<?> raw = raw(type);
    if (node.isArray()) {
      Type element = elementType(type);
      for (int i = 0; i < node.size(); i++) {
        List<Object> p = new ArrayList<>(path);
        p.add(i);
        out.add(p);
        candidates(node.get(i), element, p, out);
      }
    } else if (node.isObject() && raw != null && !Map.class.isAssignableFrom(raw)) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Field f = field(raw, e.getKey());
        List<Object> p = new ArrayList<>(path);
        p.add(e.getKey());
        if (f == null || !f.isAnnotationPresent(Required.class)) out.add(p);
        if (f != null) candidates(e.getValue(), f.getGenericType(), p, out);
      }
    } else if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        List<Object> p = new ArrayList<>(path);
        p.add(it.next());
        out.add(p);
      }
    }
  }

  private static boolean remove(JsonNode root, List<Object> path) {
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      parent = step instanceof Integer n ? parent.get(n) : parent.get((String) step);
      if (parent == null) return false;
    }
    Object last = path.get(path.size() - 1);
    if (last instanceof Integer n && parent instanceof ArrayNode a && n < a.size()) {
      a.remove(n);
      return true;
    }
    if (last instanceof String s && parent instanceof ObjectNode o && o.has(s)) {
      o.remove(s);
      return true;
    }
    return false;
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) return c;
    if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    return null;
  }

  private static Type elementType(Type t) {
    return t instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // try the superclass
      }
    }
    return null;
  }
}
