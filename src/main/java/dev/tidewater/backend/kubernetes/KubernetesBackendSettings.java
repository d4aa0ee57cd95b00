package dev.tidewater.backend.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Operator-wide settings of the kubernetes backend ({@code tidewater.kubernetes.*}). */
@ConfigMapping(prefix = "tidewater.kubernetes")
public interface KubernetesBackendSettings {

  /**
   * How long the answer to "is the External Secrets Operator's ExternalSecret CRD installed?" is
   * reused before the CRD is read again.
   */
  @WithDefault("2m")
  Duration externalSecretsCheckPeriod();
}
