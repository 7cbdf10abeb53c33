package org.loyaltypenalty.privacy;

import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Errors;

/**
 * The operator's secret for keyed pseudonymisation of customer ids (config
 * {@code privacy.key_file}): a customer id becomes HMAC-SHA-256(key, id) (RFC 2104; FIPS 198-1),
 * truncated to its first 128 bits and written as 32 lower-case hex digits (truncation as NIST
 * SP 800-107 Rev. 1, section 5.3.3 allows). The same key gives the same pseudonym in every run
 * and night; without the key a pseudonym cannot be linked back to an id, nor to the pseudonym
 * another key gives.
 *
 * <p>The key is the key file's bytes with surrounding ASCII white space removed (so that
 * {@code openssl rand -hex 32 > key} works), at least {@value #MIN_BYTES} bytes. It is never
 * written anywhere: outputs record only {@link #fingerprint()}. The pseudonymising function
 * carries the key inside the task closure, not as a literal of the query plan, so plans and logs
 * never print it.
 */
public final class PseudonymKey implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Shortest key accepted: 128 bits, the strength of the truncated pseudonym. */
  public static final int MIN_BYTES = 16;
  /** Hex digits of a pseudonym: 128 bits. */
  public static final int PSEUDONYM_HEX = 32;
  /** The method's code, as the manifest and the report name it. */
  public static final String METHOD = "hmac-sha256-128";
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] FINGERPRINT_LABEL =
      "loyalty-penalty-detector key fingerprint".getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;

  private PseudonymKey(byte[] key) {
    this.key = key.clone();
  }

  /** A key of these bytes (at least {@value #MIN_BYTES}). */
  public static PseudonymKey of(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException("a key needs at least " + MIN_BYTES + " bytes");
    }
    return new PseudonymKey(key);
  }

  /**
   * Reads the key file; exit 2 (a {@code UserException}) when it cannot be read or is shorter
   * than {@value #MIN_BYTES} bytes once trimmed.
   */
  public static PseudonymKey load(String keyFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(keyFile));
    } catch (IOException | RuntimeException e) {
      throw Errors.keyFileUnreadable(keyFile, e.getClass().getSimpleName());
    }
    int from = 0;
    int to = bytes.length;
    while (from < to && isSpace(bytes[from])) {
      from++;
    }
    while (to > from && isSpace(bytes[to - 1])) {
      to--;
    }
    byte[] trimmed = Arrays.copyOfRange(bytes, from, to);
    Arrays.fill(bytes, (byte) 0);
    if (trimmed.length < MIN_BYTES) {
      throw Errors.keyTooShort(keyFile, trimmed.length, MIN_BYTES);
    }
    return new PseudonymKey(trimmed);
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /**
   * A public name of the key: the first 16 hex digits of HMAC-SHA-256(key, a fixed label). Two
   * runs with the same fingerprint used the same key; the fingerprint reveals nothing of it.
   */
  public String fingerprint() {
    return HexFormat.of().formatHex(mac(key).doFinal(FINGERPRINT_LABEL)).substring(0, 16);
  }

  /** The pseudonym of {@code id} (its UTF-8 bytes); null for null. */
  public String pseudonym(String id) {
    return id == null ? null : hex(mac(key), id);
  }

  /**
   * The pseudonym of each value of {@code id} (cast to text and trimmed of spaces, as
   * validation reads it); null and blank values stay null, so that they are still quarantined as missing.
   */
  public Column pseudonymise(Column id) {
    UserDefinedFunction f = udf(new Hmac(key), DataTypes.StringType);
    return f.apply(id.cast(DataTypes.StringType));
  }

  private static String hex(Mac mac, String id) {
    byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, PSEUDONYM_HEX / 2);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "PseudonymKey[" + fingerprint() + "]";
  }

  /** {@code s} without leading and trailing U+0020, as Spark's {@code trim} reads it. */
  static String trimSpaces(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == ' ') {
      to--;
    }
    return s.substring(from, to);
  }

  /** The function Spark runs: one {@link Mac} per task thread, the key in the closure. */
  private static final class Hmac implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private transient ThreadLocal<Mac> macs;

    Hmac(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public String call(String id) {
      if (id == null) {
        return null;
      }
      String trimmed = trimSpaces(id);
      if (trimmed.isEmpty()) {
        return null;
      }
      if (macs == null) {
        macs = ThreadLocal.withInitial(() -> mac(key));
      }
      return hex(macs.get(), trimmed);
    }

    @Override
    public String toString() {
      return "pseudonym";
    }
  }
}
