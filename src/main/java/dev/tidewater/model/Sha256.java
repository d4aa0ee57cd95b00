package dev.tidewater.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a string as a lowercase hex prefix: every content hash and name suffix uses it.
 */
public final class Sha256 {

  private Sha256() {}

  /**
   * The first {@code hexChars} (even) lowercase hex characters of SHA-256 over UTF-8 {@code input}.
   */
  public static String hex(String input, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, hexChars / 2);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
