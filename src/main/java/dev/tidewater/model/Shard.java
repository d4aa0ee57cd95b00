package dev.tidewater.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One operator instance's share of the namespaces ({@code tidewater.shard.name} and {@code
 * tidewater.shard.namespace-selector}): it reconciles exactly the namespaces whose labels its
 * selector matches, and leads through a Lease of its own. No shard settings: one operator for all
 * namespaces, as without sharding.
 */
public record Shard(String name, LabelSelectorText selector) {

  /** The setting naming the shard. */
  public static final String NAME_SETTING = "tidewater.shard.name";

  /** The setting holding the shard's namespace selector. */
  public static final String SELECTOR_SETTING = "tidewater.shard.namespace-selector";

  /**
   * The setting listing every shard of the installation, {@code name:selector} joined by {@code ;}
   * (the chart sets it): only to warn about namespaces no shard or several shards match.
   */
  public static final String PEERS_SETTING = "tidewater.shard.peers";

  // a DNS label short enough that "<lease name>-<shard>" stays a valid Lease name
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  /** A setting that cannot be honoured; the message names the setting and the reason. */
  public static final class InvalidSetting extends IllegalArgumentException {
    InvalidSetting(String setting, String reason) {
      super(setting + ": " + reason);
    }
  }

  /**
   * The shard of these settings, or empty when neither is set (one operator for every namespace).
   * Both or neither: a selector without a name would share the unsharded operator's Lease, and a
   * name without a selector would own every namespace beside the other shards.
   */
  public static Optional<Shard> of(Optional<String> name, Optional<String> selector) {
    Optional<String> n = name.map(String::strip).filter(s -> !s.isEmpty());
    Optional<String> s = selector.map(String::strip).filter(x -> !x.isEmpty());
    if (n.isEmpty() && s.isEmpty()) return Optional.empty();
    if (n.isEmpty()) {
      throw new InvalidSetting(
          NAME_SETTING, "required with " + SELECTOR_SETTING + " (it names the shard's Lease)");
    }
    if (s.isEmpty()) {
      throw new InvalidSetting(
          SELECTOR_SETTING,
          "required with "
              + NAME_SETTING
              + " (a shard without a selector would own every namespace)");
    }
    if (!NAME.matcher(n.get()).matches()) {
      throw new InvalidSetting(
          NAME_SETTING,
          "\""
              + n.get()
              + "\" is not 1 to 40 of [a-z0-9-], beginning and ending alphanumeric (it is part of"
              + " the Lease name)");
    }
    LabelSelectorText parsed;
    try {
      parsed = LabelSelectorText.parse(s.get());
    } catch (LabelSelectorText.Invalid e) {
      throw new InvalidSetting(SELECTOR_SETTING, e.getMessage());
    }
    return Optional.of(new Shard(n.get(), parsed));
  }

  /** The Lease of this shard: its own, so shards lead side by side. */
  public String leaseName(String base) {
    return base + "-" + name;
  }

  /** Whether this shard owns a namespace with {@code labels}. */
  public boolean owns(Map<String, String> labels) {
    return selector.matches(labels);
  }

  /** The namespaces this shard owns among {@code namespaces} (name to labels), sorted. */
  public Set<String> owned(Map<String, Map<String, String>> namespaces) {
    Set<String> out = new TreeSet<>();
    namespaces.forEach(
        (namespace, labels) -> {
          if (owns(labels)) out.add(namespace);
        });
    return out;
  }

  /**
   * Every shard of the installation from {@link #PEERS_SETTING} ({@code name:selector;...}), in the
   * order given, or empty when the setting is. Must name this shard with its own selector: a list
   * from another installation would make every warning wrong.
   */
  public Map<String, LabelSelectorText> peers(Optional<String> text) {
    Map<String, LabelSelectorText> out = new LinkedHashMap<>();
    String t = text.map(String::strip).orElse("");
    if (t.isEmpty()) return out;
    for (String entry : t.split(";")) {
      String e = entry.strip();
      if (e.isEmpty()) continue;
      int colon = e.indexOf(':');
      if (colon < 0) {
        throw new InvalidSetting(PEERS_SETTING, "\"" + e + "\" is not name:selector");
      }
      String peer = e.substring(0, colon).strip();
      if (!NAME.matcher(peer).matches()) {
        throw new InvalidSetting(PEERS_SETTING, "\"" + peer + "\" is not a shard name");
      }
      LabelSelectorText selector;
      try {
        selector = LabelSelectorText.parse(e.substring(colon + 1).strip());
      } catch (LabelSelectorText.Invalid invalid) {
        throw new InvalidSetting(PEERS_SETTING, "shard " + peer + ": " + invalid.getMessage());
      }
      if (out.put(peer, selector) != null) {
        throw new InvalidSetting(PEERS_SETTING, "shard " + peer + " is listed twice");
      }
    }
    if (!out.containsKey(name)) {
      throw new InvalidSetting(PEERS_SETTING, "does not list this shard, " + name);
    }
    if (!out.get(name).toString().equals(selector.toString())) {
      throw new InvalidSetting(
          PEERS_SETTING,
          "lists shard "
              + name
              + " with the selector \""
              + out.get(name)
              + "\", not "
              + SELECTOR_SETTING
              + " \""
              + selector
              + "\"");
    }
    return out;
  }

  /**
   * Namespaces that no shard or several shards own.
   *
   * @param unowned matched by no shard, sorted
   * @param shared matched by two or more shards: namespace to the shards, sorted
   */
  public record Coverage(Set<String> unowned, Map<String, List<String>> shared) {}

  /** How {@code shards} (name to selector) cover {@code namespaces} (name to labels). */
  public static Coverage coverage(
      Map<String, LabelSelectorText> shards, Map<String, Map<String, String>> namespaces) {
    Set<String> unowned = new TreeSet<>();
    Map<String, List<String>> shared = new TreeMap<>();
    namespaces.forEach(
        (namespace, labels) -> {
          List<String> owners = new ArrayList<>();
          shards.forEach(
              (shard, selector) -> {
                if (selector.matches(labels)) owners.add(shard);
              });
          if (owners.isEmpty()) unowned.add(namespace);
          if (owners.size() > 1) shared.put(namespace, List.copyOf(owners));
        });
    return new Coverage(unowned, shared);
  }
}
