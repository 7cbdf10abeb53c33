package org.loyaltypenalty.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltypenalty.TestSpark;
import org.loyaltypenalty.UserException;

/**
 * Keyed pseudonyms. References: RFC 4231 (HMAC-SHA-256 test vectors) and Python's
 * {@code hmac.new(key, msg, hashlib.sha256).hexdigest()[:32]} (CPython 3 standard library).
 */
class PseudonymKeyTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  void pseudonymsAreTheFirst128BitsOfHmacSha256AsRfc4231Gives() {
    byte[] key = new byte[20];
    Arrays.fill(key, (byte) 0x0b);
    // RFC 4231 test case 1
    assertEquals("b0344c61d8db38535ca8afceaf0bf12b", PseudonymKey.of(key).pseudonym("Hi There"));
    byte[] large = new byte[131];
    Arrays.fill(large, (byte) 0xaa);
    // RFC 4231 test case 6: a key longer than the block is hashed first
    assertEquals("60e431591ee0b67f0d8a26aacbf5b77f", PseudonymKey.of(large)
        .pseudonym("Test Using Larger Than Block-Size Key - Hash Key First"));
  }

  @Test
  void aKeyFileIsTrimmedAndGivesThePseudonymsPythonsHmacGives(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "  " + KEY + "\n");
    PseudonymKey key = PseudonymKey.load(file.toString());
    // hmac.new(b'0123456789abcdef0123456789abcdef', b'C000123', hashlib.sha256)
    assertEquals("851cbb7445c9dbe2381502a39efe16cc", key.pseudonym("C000123"));
    assertEquals("1720a14f8a84e89df617c95acfa61bb2", key.pseudonym("customer-é"));
    // hmac.new(key, b'loyalty-penalty-detector key fingerprint', hashlib.sha256)[:16]
    assertEquals("55910907c7210f21", key.fingerprint());
    assertFalse(key.toString().contains(KEY));
  }

  @Test
  void aShortOrMissingKeyFileStopsTheRunNamingTheFix(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("short");
    Files.writeString(file, "secret\n");
    UserException shortKey =
        assertThrows(UserException.class, () -> PseudonymKey.load(file.toString()));
    assertTrue(shortKey.getMessage().contains("6 bytes"), shortKey.getMessage());
    assertTrue(shortKey.getMessage().contains("openssl rand"), shortKey.getMessage());
    UserException missing = assertThrows(UserException.class,
        () -> PseudonymKey.load(dir.resolve("none").toString()));
    assertTrue(missing.getMessage().startsWith("privacy.key_file cannot be read"));
  }

  /**
   * In Spark, values are trimmed of spaces as validation reads them, blank ones stay null, and
   * each is the driver's pseudonym of the trimmed value; another key gives unrelated ones.
   */
  @Test
  void sparkPseudonymisesEachTrimmedIdAsTheDriverDoesAndAnotherKeyCannotLink() {
    PseudonymKey key = PseudonymKey.of(KEY.getBytes(StandardCharsets.US_ASCII));
    PseudonymKey other = PseudonymKey.of("another key, another audit".getBytes(
        StandardCharsets.US_ASCII));
    List<Row> rows = TestSpark.strings(List.of("id"),
            Arrays.asList(List.of(" C000123 "), List.of("   "), Arrays.asList((String) null),
                List.of("C000124\t")))
        .select(key.pseudonymise(col("id")), other.pseudonymise(col("id"))).collectAsList();
    assertEquals("851cbb7445c9dbe2381502a39efe16cc", rows.get(0).getString(0));
    assertNull(rows.get(1).get(0));
    assertNull(rows.get(2).get(0));
    assertEquals(key.pseudonym("C000124\t"), rows.get(3).getString(0));
    assertNotEquals(rows.get(0).getString(0), rows.get(0).getString(1));
    assertEquals(other.pseudonym("C000123"), rows.get(0).getString(1));
  }
}
