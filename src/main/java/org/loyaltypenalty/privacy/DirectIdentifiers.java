package org.loyaltypenalty.privacy;

import static org.apache.spark.sql.functions.col;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.config.ColumnMapping;

/**
 * Finds direct identifiers in the columns an input is read with: values that name a person
 * outright, where an audit needs only a pseudonymous id. A column is reported when more than
 * {@link #MAX_SHARE} of its non-empty values, among the first {@value #SAMPLE_ROWS} rows of the
 * input, are of one {@link Kind}:
 * <ul>
 *   <li>{@link Kind#MOBILE_CN}: a mainland China mobile number, 11 digits starting 13 to 19
 *       (MIIT numbering plan), optionally after +86 or 86; spaces and hyphens between digits are
 *       ignored;</li>
 *   <li>{@link Kind#RESIDENT_ID_CN}: an 18-character resident identity number (GB 11643-1999):
 *       a region code not starting with 0 or 9, a valid birth date from 1800, a sequence number,
 *       and the ISO 7064 MOD 11-2 check character. The date and check together make a random
 *       18-digit number (an order id) match about 1 in 30,000 times;</li>
 *   <li>{@link Kind#EMAIL}: an e-mail address (local part, {@code @}, a domain with a dot and a
 *       top-level label of two or more letters).</li>
 * </ul>
 * Columns are read after pseudonymisation, so with {@code privacy.key_file} set the customer id
 * is not reported. The rows checked are collected to the driver: at most
 * {@value #SAMPLE_ROWS}.
 */
public final class DirectIdentifiers {
  /** Rows of each input checked: the first ones read. */
  public static final int SAMPLE_ROWS = 10_000;
  /** A column is reported when more than this share of its non-empty values checked match. */
  public static final double MAX_SHARE = 0.01;

  private static final Pattern MOBILE = Pattern.compile("(?:\\+?86)?1[3-9][0-9]{9}");
  private static final Pattern RESIDENT_ID = Pattern.compile("[1-8][0-9]{16}[0-9Xx]");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}");
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK = "10X98765432";

  /** What a direct identifier is. */
  public enum Kind {
    MOBILE_CN("mobile_cn"),
    RESIDENT_ID_CN("resident_id_cn"),
    EMAIL("email");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * A column that holds direct identifiers.
   *
   * @param column the column's name in the input (as mapped)
   * @param canonical its name in the data contract
   * @param matches values of {@code kind} among the {@code checked} non-empty values
   */
  public record Finding(String input, String column, String canonical, Kind kind, long matches,
      long checked) {
    public double share() {
      return checked == 0 ? 0 : (double) matches / checked;
    }
  }

  private DirectIdentifiers() {}

  /** The kind of direct identifier {@code value} is, if any. */
  public static Optional<Kind> kind(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (v.indexOf('@') > 0 && EMAIL.matcher(v).matches()) {
      return Optional.of(Kind.EMAIL);
    }
    String digits = v.replace(" ", "").replace("-", "");
    if (MOBILE.matcher(digits).matches()) {
      return Optional.of(Kind.MOBILE_CN);
    }
    if (RESIDENT_ID.matcher(v).matches() && residentIdValid(v)) {
      return Optional.of(Kind.RESIDENT_ID_CN);
    }
    return Optional.empty();
  }

  /**
   * Whether an 18-character number has a birth date (characters 7 to 14, from 1800) and the
   * ISO 7064 MOD 11-2 check character of GB 11643-1999.
   */
  static boolean residentIdValid(String id) {
    try {
      LocalDate born = LocalDate.of(Integer.parseInt(id.substring(6, 10)),
          Integer.parseInt(id.substring(10, 12)), Integer.parseInt(id.substring(12, 14)));
      if (born.getYear() < 1800) {
        return false;
      }
    } catch (DateTimeException e) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * WEIGHTS[i];
    }
    return Character.toUpperCase(id.charAt(17)) == CHECK.charAt(sum % 11);
  }

  /**
   * The input's columns as read, in canonical names: every column but the row as read
   * ({@code raw}) and the digest an id is derived from.
   */
  public static List<String> columnsRead(Dataset<Row> input) {
    return Arrays.stream(input.columns())
        .filter(c -> !c.equals(Columns.Derived.RAW) && !c.equals(Columns.Derived.ROW_DIGEST))
        .toList();
  }

  /**
   * The columns of {@code input} (in canonical names, as {@code InputReader} gives them) that
   * hold direct identifiers, checked on its first {@value #SAMPLE_ROWS} rows.
   *
   * @param what the input's name (quotes, purchases, customers)
   * @param mapping the input's column mapping, to name each column as the input does
   */
  public static List<Finding> scan(String what, Dataset<Row> input, ColumnMapping mapping) {
    List<String> names = columnsRead(input);
    Column[] asText = names.stream()
        .map(c -> col("`" + c + "`").cast(DataTypes.StringType)).toArray(Column[]::new);
    List<Row> rows = input.select(asText).limit(SAMPLE_ROWS).collectAsList();
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      long checked = 0;
      long[] matches = new long[Kind.values().length];
      for (Row r : rows) {
        String v = r.isNullAt(i) ? null : r.getString(i);
        if (v == null || v.isBlank()) {
          continue;
        }
        checked++;
        kind(v).ifPresent(k -> matches[k.ordinal()]++);
      }
      for (Kind k : Kind.values()) {
        if (checked > 0 && matches[k.ordinal()] > MAX_SHARE * checked) {
          out.add(new Finding(what, mapping.source(names.get(i)), names.get(i), k,
              matches[k.ordinal()], checked));
        }
      }
    }
    return out;
  }
}
