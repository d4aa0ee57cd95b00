package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.K8S_SECRET_PREFIX;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.PARAMETER_STORE;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.SECRETS_MANAGER;

import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.backend.kubernetes.KubeletExpansion;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.ExternalSecretEntry;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment family: environment, secrets (a Kubernetes Secret reference, or an entry of the
 * ExternalSecret the External Secrets Operator fills from SSM / Secrets Manager), and
 * repositoryCredentials as image pull Secrets.
 */
final class EnvironmentRendering {
  // A Secrets Manager ARN ends with "-" and six random characters that are not part of the name.
  private static final Pattern SECRETS_MANAGER_ARN =
      Pattern.compile("arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(-[A-Za-z0-9]{6})?");
  private static final Pattern SSM_PARAMETER_ARN =
      Pattern.compile("arn:[^:]+:ssm:[^:]*:[^:]*:parameter/+(.+)");
  // A Secret's data keys: alphanumerics, '-', '_' and '.'.
  private static final Pattern SECRET_KEY_OUTSIDE = Pattern.compile("[^-._a-zA-Z0-9]");
  private static final Pattern SSM_ARN =
      Pattern.compile("arn:[^:]+:ssm:[^:]*:[^:]*:parameter/?(.+)");

  private final PodRendering r;
  private final Map<String, ExternalSecretEntry> externalEntries = new LinkedHashMap<>();

  EnvironmentRendering(PodRendering r) {
    this.r = r;
  }

  /** The entries of the ExternalSecrets the secretKeyRefs read from, in order of first use. */
  List<ExternalSecretEntry> externalSecrets() {
    return List.copyOf(externalEntries.values());
  }

  List<EnvVar> env(int i, ContainerDefinition d) {
    List<EnvVar> env = new ArrayList<>();
    if (d.environment != null) {
      for (KeyValuePair kv : d.environment) {
        env.add(new EnvVar(kv.name, KubeletExpansion.escape(kv.value), null));
      }
    }
    if (d.secrets != null) {
      for (int k = 0; k < d.secrets.size(); k++) {
        Secret s = d.secrets.get(k);
        String path = containerPath(i) + ".secrets[" + k + "]";
        String from = s.valueFrom == null ? "" : s.valueFrom.strip();
        if (from.startsWith(K8S_SECRET_PREFIX)) {
          String rest = from.substring(K8S_SECRET_PREFIX.length());
          int slash = rest.indexOf('/');
          String secret = slash < 0 ? "" : rest.substring(0, slash);
          String key = slash < 0 ? "" : rest.substring(slash + 1);
          if (secret.isEmpty() || key.isEmpty() || key.contains("/")) {
            r.refuse(
                path + ".valueFrom",
                MappingReasons.INVALID_SECRET_REFERENCE,
                "secret "
                    + s.name
                    + ": a Kubernetes Secret reference reads k8s:secret/<secret-name>/<key>");
            continue;
          }
          env.add(
              new EnvVarBuilder()
                  .withName(s.name)
                  .withNewValueFrom()
                  .withNewSecretKeyRef()
                  .withName(secret)
                  .withKey(key)
                  .endSecretKeyRef()
                  .endValueFrom()
                  .build());
        } else if (r.in.externalSecrets() && !from.isEmpty()) {
          ExternalSecretEntry entry = externalEntry(s.name, from);
          env.add(
              new EnvVarBuilder()
                  .withName(s.name)
                  .withNewValueFrom()
                  .withNewSecretKeyRef()
                  .withName(entry.target())
                  .withKey(entry.secretKey())
                  .endSecretKeyRef()
                  .endValueFrom()
                  .build());
        } else {
          // On ECS a secret that cannot be read keeps the task from starting; starting the
          // container without the variable would be a silent difference, so the rollout stops.
          r.refuse(
              path + ".valueFrom",
              MappingReasons.SECRETS_NEED_EXTERNAL_SECRETS,
              "environment variable "
                  + s.name
                  + " cannot be set: its value lives in "
                  + secretStore(from)
                  + ", which the pod can read only through the External Secrets Operator (not"
                  + " installed: no ExternalSecret kind); install it, or put the value in a"
                  + " Kubernetes Secret and use valueFrom k8s:secret/<secret-name>/<key>");
        }
      }
    }
    return env.isEmpty() ? null : env;
  }

  /**
   * The ExternalSecret entry of an SSM / Secrets Manager reference; one key per distinct reference,
   * named after the variable (with a hash when two references share a name).
   */
  private ExternalSecretEntry externalEntry(String envName, String from) {
    ExternalSecretEntry remote = remoteReference(from);
    String target = externalSecretTarget(remote.storeKind());
    String base = envName == null ? "" : SECRET_KEY_OUTSIDE.matcher(envName).replaceAll("_");
    String key = base.isEmpty() ? "secret" : base;
    for (int attempt = 0; ; attempt++) {
      ExternalSecretEntry entry =
          new ExternalSecretEntry(
              target,
              key,
              remote.remoteKey(),
              remote.property(),
              remote.version(),
              remote.storeKind());
      ExternalSecretEntry known = externalEntries.putIfAbsent(target + "/" + key, entry);
      if (known == null || known.equals(entry)) {
        return entry;
      }
      key = base + "-" + KubernetesNames.hash(from + "#" + attempt);
    }
  }

  private String externalSecretTarget(String storeKind) {
    String base = blankToNull(r.in.externalSecretName());
    if (base == null) {
      base = "ecs-secrets";
    }
    return usesBothStores()
        ? KubernetesNames.dnsSubdomain(base + (PARAMETER_STORE.equals(storeKind) ? "-ssm" : "-sm"))
        : base;
  }

  /** Whether the task reads both SSM and Secrets Manager: one ExternalSecret per store. */
  private boolean usesBothStores() {
    Set<String> kinds = new HashSet<>();
    for (ContainerDefinition d : r.defs) {
      if (d.secrets == null) continue;
      for (Secret s : d.secrets) {
        String f = s.valueFrom == null ? "" : s.valueFrom.strip();
        if (!f.isEmpty() && !f.startsWith(K8S_SECRET_PREFIX)) {
          kinds.add(remoteReference(f).storeKind());
        }
      }
    }
    return kinds.size() > 1;
  }

  private static String secretStore(String valueFrom) {
    if (valueFrom.contains(":secretsmanager:")) {
      return "AWS Secrets Manager";
    }
    return "SSM Parameter Store";
  }

  /** Private registry credentials: one pull Secret per distinct credentials parameter. */
  void pullSecrets() {
    Set<String> pullSecrets = new LinkedHashSet<>();
    for (int i = 0; i < r.defs.size(); i++) {
      ContainerDefinition d = r.defs.get(i);
      if (d.repositoryCredentials == null
          || blankToNull(d.repositoryCredentials.credentialsParameter) == null) {
        continue;
      }
      String secret = pullSecretName(d.repositoryCredentials.credentialsParameter);
      pullSecrets.add(secret);
      r.warn(
          containerPath(i) + ".repositoryCredentials",
          MappingReasons.REPOSITORY_CREDENTIALS_NEED_SECRET,
          "the pod pulls with the image pull Secret \""
              + secret
              + "\" (type kubernetes.io/dockerconfigjson), which must exist in the namespace;"
              + " Tidewater does not copy the registry credentials from AWS");
    }
    if (!pullSecrets.isEmpty()) {
      List<LocalObjectReference> refs = new ArrayList<>();
      pullSecrets.forEach(s -> refs.add(new LocalObjectReference(s)));
      r.pod.setImagePullSecrets(refs);
    }
  }

  private String pullSecretName(String credentialsParameter) {
    String p = credentialsParameter.strip();
    Matcher sm = SECRETS_MANAGER_ARN.matcher(p);
    if (sm.matches()) {
      p = sm.group(1);
    } else {
      Matcher ssm = SSM_ARN.matcher(p);
      if (ssm.matches()) {
        p = ssm.group(1);
      }
    }
    return KubernetesNames.dnsSubdomain(p);
  }

  /**
   * Where an ECS {@code valueFrom} (not {@code k8s:secret/}) is read: an SSM parameter by name or
   * ARN (the ARN's {@code parameter} prefix dropped, so {@code .../parameter/prod/db} reads {@code
   * /prod/db}), or a Secrets Manager secret by ARN with its optional {@code
   * :json-key:version-stage:version-id}. The entry's target and secretKey are null.
   */
  static ExternalSecretEntry remoteReference(String valueFrom) {
    String from = valueFrom.strip();
    if (from.startsWith("arn:") && from.contains(":secretsmanager:")) {
      String[] parts = from.split(":", -1);
      String arn = parts.length > 7 ? String.join(":", List.of(parts).subList(0, 7)) : from;
      String property = parts.length > 7 ? blankToNull(parts[7]) : null;
      String stage = parts.length > 8 ? blankToNull(parts[8]) : null;
      String id = parts.length > 9 ? blankToNull(parts[9]) : null;
      // ESO reads a version id as "uuid/<id>" and anything else as a version stage.
      String version = id != null ? "uuid/" + id : stage;
      return new ExternalSecretEntry(null, null, arn, property, version, SECRETS_MANAGER);
    }
    Matcher ssm = SSM_PARAMETER_ARN.matcher(from);
    String name = ssm.matches() ? "/" + ssm.group(1) : from;
    return new ExternalSecretEntry(null, null, name, null, null, PARAMETER_STORE);
  }
}
