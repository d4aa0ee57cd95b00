package dev.tidewater.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The Helm chart installed on the ground as far as it can be without the operator's image: its
 * rendered objects but the Deployments (applied by a test), and a kubeconfig with a token of the
 * release's ServiceAccount, so that an {@link OperatorProcess} runs with exactly the chart's
 * permissions and the environment of a rendered Deployment ({@link ChartEnvironment}).
 */
public final class ChartInstall {

  private ChartInstall() {}

  /** {@code rendered} (the output of {@code helm template}) without its Deployments. */
  public static String withoutDeployments(String rendered) {
    List<String> kept = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) continue;
      // a Deployment needs the operator's image, which cannot be built here
      if (doc.contains("\nkind: Deployment\n")) continue;
      kept.add(doc);
    }
    return String.join("---\n", kept);
  }

  /**
   * A kubeconfig for the ground's API server authenticating as {@code serviceAccount} of {@code
   * namespace} (a token valid for an hour).
   */
  public static String kubeconfigFor(
      KubernetesClient admin, String namespace, String serviceAccount) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = admin.getConfiguration();
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: testground
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: testground
          context: {cluster: testground, user: %s}
        current-context: testground
        """
        .formatted(
            adminConfig.getMasterUrl(),
            adminConfig.getCaCertData(),
            serviceAccount,
            token,
            serviceAccount);
  }
}
