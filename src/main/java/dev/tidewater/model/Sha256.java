package dev.tidewater.model;

import java.nio.ByteBuffer;
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
    byte[] digest = digest().digest(input.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, hexChars / 2);
  }

  /** A new SHA-256 digest, for content fed piece by piece ({@link #update}). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Feeds {@code s} with its length first (-1: null), so that no two sequences of strings feed the
   * same bytes.
   */
  public static void update(MessageDigest digest, String s) {
    if (s == null) {
      digest.update(ByteBuffer.allocate(4).putInt(-1).array());
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }
}
