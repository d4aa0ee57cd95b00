package dev.tidewater.backend.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Drift of a child we applied, read from its {@code managedFields}: a field our apply sets that our
 * field manager no longer owns was changed by someone else ({@code kubectl scale} takes {@code
 * spec.replicas}, {@code kubectl set image} a container's image, {@code kubectl edit} what it
 * changes) or removed. Comparing paths, not values, is immune to the API server's defaulting and
 * normalisation (a quantity {@code "0.5"} read back as {@code "500m"}), so an object nobody touched
 * never counts as drifted and steady state stays without writes; a field others set beside ours
 * (another manager's annotation) or status is not ours and never counts.
 */
public final class AppliedFields {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Identity and server-set metadata: not part of what an apply owns. */
  private static final Set<String> NOT_OWNED_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink");

  private AppliedFields() {}

  /**
   * The first field (as a path) that {@code desired} sets and Tidewater's field manager no longer
   * owns on {@code observed}, or empty when it owns all of them. An object without managed fields
   * (a cache that drops them, a test double) cannot tell and counts as not drifted; one with
   * managed fields but none applied by Tidewater (written by an update, e.g. adopted) counts as
   * drifted.
   */
  public static Optional<String> lostField(HasMetadata desired, HasMetadata observed) {
    return lostField(() -> JSON.convertValue(desired, JsonNode.class), observed);
  }

  /**
   * As {@link #lostField(HasMetadata, HasMetadata)}, with the desired object as its JSON tree (made
   * only when the observed object has managed fields of Tidewater's to compare it with).
   */
  static Optional<String> lostField(Supplier<JsonNode> desired, HasMetadata observed) {
    List<ManagedFieldsEntry> entries = observed.getMetadata().getManagedFields();
    if (entries == null || entries.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode owned = JsonNodeFactory.instance.objectNode();
    for (ManagedFieldsEntry e : entries) {
      if (TidewaterLabels.FIELD_MANAGER.equals(e.getManager())
          && "Apply".equals(e.getOperation())
          && (e.getSubresource() == null || e.getSubresource().isEmpty())
          && e.getFieldsV1() != null) {
        merge(owned, JSON.convertValue(e.getFieldsV1(), JsonNode.class));
      }
    }
    if (owned.isEmpty()) {
      return Optional.of("metadata.managedFields[manager=" + TidewaterLabels.FIELD_MANAGER + "]");
    }
    JsonNode want = desired.get();
    for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> top = it.next();
      String name = top.getKey();
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("status")) continue;
      JsonNode value = top.getValue();
      if (name.equals("metadata") && value.isObject()) {
        ObjectNode meta = ((ObjectNode) value).deepCopy();
        meta.remove(NOT_OWNED_METADATA);
        value = meta;
      }
      Optional<String> lost = lost(value, owned.get("f:" + name), name);
      if (lost.isPresent()) return lost;
    }
    return Optional.empty();
  }

  /** Whether Tidewater's field manager lost any field of {@code desired} on {@code observed}. */
  public static boolean drifted(HasMetadata desired, HasMetadata observed) {
    return lostField(desired, observed).isPresent();
  }

  /**
   * A digest of the fields Tidewater's applies own on {@code observed} (its {@code Apply} entries
   * of {@code managedFields}, the very entries {@link #lostField} reads): while it is unchanged,
   * {@link #lostField} of the same desired object gives the same answer, whatever else (status, the
   * fields of other managers) changed. Entries in another order give another digest (a needless
   * recheck, never a missed one).
   */
  public static String ownedDigest(HasMetadata observed) {
    MessageDigest digest = Sha256.digest();
    List<ManagedFieldsEntry> entries = observed.getMetadata().getManagedFields();
    // no managed fields at all (nothing to compare: not drifted) and managed fields without ours
    // (drifted) must differ
    Sha256.update(digest, entries == null || entries.isEmpty() ? "none" : "some");
    if (entries != null) {
      for (ManagedFieldsEntry e : entries) {
        if (TidewaterLabels.FIELD_MANAGER.equals(e.getManager())
            && "Apply".equals(e.getOperation())
            && (e.getSubresource() == null || e.getSubresource().isEmpty())) {
          Sha256.update(digest, "entry");
          Sha256.update(digest, e.getApiVersion());
          if (e.getFieldsV1() != null) {
            walk(digest, e.getFieldsV1().getAdditionalProperties());
          }
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Feeds a field set (nested maps of field keys) to {@code digest}, brackets marking nesting. */
  private static void walk(MessageDigest digest, Object value) {
    if (value instanceof Map<?, ?> map) {
      Sha256.update(digest, "{");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Sha256.update(digest, String.valueOf(e.getKey()));
        walk(digest, e.getValue());
      }
      Sha256.update(digest, "}");
    } else {
      Sha256.update(digest, "=" + value);
    }
  }

  private static Optional<String> lost(JsonNode want, JsonNode owned, String path) {
    if (want == null || want.isNull()) return Optional.empty();
    if (owned == null) {
      // an empty object or list may be dropped on the way in (an omitempty list): nothing to own
      return emptyContainer(want) ? Optional.empty() : Optional.of(path);
    }
    if (owned.isObject() && owned.isEmpty()) {
      // a scalar, or an atomic struct / list (a label selector, command), owned whole
      return Optional.empty();
    }
    if (want.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        Optional<String> lost =
            lost(f.getValue(), owned.get("f:" + f.getKey()), path + "." + f.getKey());
        if (lost.isPresent()) return lost;
      }
      return Optional.empty();
    }
    if (want.isArray()) {
      for (int i = 0; i < want.size(); i++) {
        JsonNode element = want.get(i);
        JsonNode match = element.isObject() ? keyed(owned, element) : null;
        if (match == null) match = owned.get("v:" + element);
        if (match == null) match = owned.get("i:" + i);
        Optional<String> lost =
            match == null
                ? Optional.of(path + "[" + i + "]")
                : lost(element, match, path + "[" + i + "]");
        if (lost.isPresent()) return lost;
      }
    }
    return Optional.empty();
  }

  /**
   * The owned entry of an associative list element: the {@code k:{...}} whose key fields the
   * element has (a key field the element leaves out was defaulted by the API server, e.g. a port's
   * protocol).
   */
  private static JsonNode keyed(JsonNode owned, JsonNode element) {
    for (Iterator<Map.Entry<String, JsonNode>> it = owned.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().startsWith("k:")) continue;
      JsonNode key = JSON.unmarshal(e.getKey().substring(2), JsonNode.class);
      boolean matches = true;
      for (Iterator<Map.Entry<String, JsonNode>> k = key.fields(); k.hasNext() && matches; ) {
        Map.Entry<String, JsonNode> kf = k.next();
        JsonNode mine = element.get(kf.getKey());
        matches = mine == null || mine.isNull() || mine.asText().equals(kf.getValue().asText());
      }
      if (matches) return e.getValue();
    }
    return null;
  }

  private static boolean emptyContainer(JsonNode n) {
    return (n.isObject() || n.isArray()) && n.isEmpty();
  }

  /** Adds the field set {@code more} to {@code into} (entries of several Apply operations). */
  private static void merge(ObjectNode into, JsonNode more) {
    for (Iterator<Map.Entry<String, JsonNode>> it = more.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode existing = into.get(f.getKey());
      if (existing instanceof ObjectNode o && f.getValue().isObject()) {
        merge(o, f.getValue());
      } else if (existing == null) {
        into.set(f.getKey(), f.getValue().deepCopy());
      }
    }
  }
}
