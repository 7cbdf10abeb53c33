package org.loyaltypenalty.validate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.loyaltypenalty.config.NumberFormats;

/**
 * Null-safe parsing of input columns that may arrive as strings (CSV) or typed (Parquet, Delta).
 * Spark 4 runs in ANSI mode, so every conversion is a {@code try_cast}: a value that does not
 * parse becomes null, and the validators compare it with the value as read to tell "missing"
 * from "unparseable".
 *
 * <p>Each value is parsed once per row in the checks' projection. A check reads a parsed value
 * several times (is it null? finite? positive? a whole number?), and Spark copies an expression
 * into every place that uses it: written as one nested expression, the quote check's optimised
 * plan parsed the price, the list price and above all the quantity dozens of times over, and
 * parsing became the largest cost of reading and checking the quotes. So every step is bound to
 * a hidden column of a {@link Frame}: later steps read the column, and Spark does not inline an
 * expensive expression into several uses (its CollapseProject rule keeps such a projection
 * apart), so the generated code computes it once. A filter is different: when Spark pushes a
 * filter below the projection (Spark 4.1 does so without weighing the cost), the filter computes
 * what it reads again, so a filter over the checked rows (the audit's time window) parses the
 * time once more.
 */
final class Parsing {
  private Parsing() {}

  /** Largest whole number read exactly: 2^53. */
  static final double WHOLE_MAX = 9007199254740992.0;

  /**
   * The input with the parsed values added as hidden columns, each computed once and read by
   * every check that needs it. {@link #select} ends it with the output columns only.
   */
  static final class Frame {
    private static final String PREFIX = "__parsed_";
    private final Dataset<Row> in;
    private final Map<String, Column> bound = new HashMap<>();
    private Dataset<Row> ds;

    private final NumberFormats numbers;

    Frame(Dataset<Row> in) {
      this(in, NumberFormats.DEFAULT);
    }

    /** A frame whose numbers in text are read in {@code numbers}. */
    Frame(Dataset<Row> in, NumberFormats numbers) {
      this.in = in;
      this.ds = in;
      this.numbers = numbers;
    }

    boolean has(String column) {
      return Arrays.asList(in.columns()).contains(column);
    }

    private boolean isString(String column) {
      return type(column) instanceof StringType;
    }

    private DataType type(String column) {
      return in.schema().apply(column).dataType();
    }

    /**
     * {@code expression}, computed once per row: a hidden column of the frame, named in binding
     * order; a second call with the same {@code key} returns the same column.
     */
    Column bind(String key, Supplier<Column> expression) {
      Column known = bound.get(key);
      if (known != null) {
        return known;
      }
      Column e = expression.get(); // may bind the steps it reads first
      String name = PREFIX + bound.size();
      // each step is its own projection, so that Spark keeps it apart from its uses
      ds = ds.withColumn(name, e);
      Column c = col(name);
      bound.put(key, c);
      return c;
    }

    /** The input's rows with the hidden columns bound so far (Spark computes only those read). */
    Dataset<Row> rows() {
      return ds;
    }

    /** The frame's rows with only {@code columns} (the hidden columns are dropped). */
    Dataset<Row> select(Column... columns) {
      return ds.select(columns);
    }

    /** The value as text, trimmed, with empty strings as null. */
    Column text(String column) {
      Column trimmed = bind("trim:" + column, () -> trim(col(column).cast(DataTypes.StringType)));
      return bind("text:" + column, () ->
          when(trimmed.equalTo(lit("")), lit(null).cast(DataTypes.StringType)).otherwise(trimmed));
    }

    /**
     * True where the column holds something (not null, not blank). Only text can be blank: a
     * typed column (Parquet, Delta) is tested for null without formatting every value as text.
     */
    Column present(String column) {
      return isString(column) ? text(column).isNotNull() : col(column).isNotNull();
    }

    /**
     * The time, or null when it is not in an accepted form or not plausible
     * ({@link TimestampFormats}); {@link #timestampProblem} says which.
     */
    Column timestamp(String column) {
      Column parsed = parsedTimestamp(column);
      Column earliest = lit(java.sql.Timestamp.from(TimestampFormats.EARLIEST));
      Column latest = lit(java.sql.Timestamp.from(TimestampFormats.LATEST));
      return bind("plausible:" + column, () ->
          when(parsed.geq(earliest).and(parsed.lt(latest)), parsed));
    }

    /**
     * Why a present value has no {@link #timestamp}: {@code implausible} when it parses outside
     * the window, {@code incomplete} or {@code abbreviatedZone} when the text is of such a form,
     * {@code unparseable} otherwise; null when it has one. Reads the values already parsed.
     */
    Column timestampProblem(String column, QuarantineReason unparseable,
        QuarantineReason incomplete, QuarantineReason abbreviatedZone,
        QuarantineReason implausible) {
      Column plausible = timestamp(column);
      Column parsed = parsedTimestamp(column);
      Column why = when(parsed.isNotNull(), lit(implausible.code()));
      if (isString(column)) {
        Column text = text(column);
        why = why.when(text.rlike(TimestampFormats.INCOMPLETE), lit(incomplete.code()))
            .when(text.rlike(TimestampFormats.ABBREVIATED_ZONE), lit(abbreviatedZone.code()));
      }
      return when(plausible.isNull(), why.otherwise(lit(unparseable.code())));
    }

    /** The value as a timestamp, whatever its year: text only when in an accepted form. */
    private Column parsedTimestamp(String column) {
      DataType t = type(column);
      if (t.equals(DataTypes.TimestampType)) {
        return col(column);
      }
      if (t.equals(DataTypes.TimestampNTZType) || t.equals(DataTypes.DateType)) {
        return bind("timestamp:" + column, () -> col(column).cast(DataTypes.TimestampType));
      }
      Column text = text(column);
      return bind("timestamp:" + column, () -> when(text.rlike(TimestampFormats.ACCEPTED),
          text.try_cast(DataTypes.TimestampType)));
    }

    /** A finite double, or null; text only when in the accepted form ({@link NumberFormats}). */
    Column finiteDouble(String column) {
      Column source = isString(column) ? text(column) : col(column);
      Column d = bind("double:" + column, () -> isString(column)
          ? when(source.rlike(numbers.accepted()),
              numbers.normalised(source).try_cast(DataTypes.DoubleType))
          : source.try_cast(DataTypes.DoubleType));
      return bind("finite:" + column, () -> when(d.isNull().or(isnan(d))
          .or(d.equalTo(Double.POSITIVE_INFINITY)).or(d.equalTo(Double.NEGATIVE_INFINITY)),
          lit(null).cast(DataTypes.DoubleType)).otherwise(d));
    }

    /**
     * A whole number, or null when the value is not one (2.5, "two") or is beyond
     * {@value #WHOLE_MAX} in size: the text is read as a double, which holds every whole number
     * up to 2^53 exactly and not all beyond (a cast would turn 2^63 into 2^63 - 1 silently).
     */
    Column wholeNumber(String column) {
      Column d = finiteDouble(column);
      return bind("whole:" + column, () -> when(d.isNotNull().and(d.equalTo(floor(d)))
          .and(abs(d).leq(WHOLE_MAX)), d.cast(DataTypes.LongType)));
    }

    /** true/false, 1/0, yes/no, y/n, t/f in any case; null otherwise. */
    Column bool(String column) {
      if (type(column).equals(DataTypes.BooleanType)) {
        return col(column);
      }
      Column text = text(column);
      Column t = bind("lower:" + column, () -> lower(text));
      return bind("bool:" + column, () ->
          when(t.isin("true", "1", "yes", "y", "t", "1.0"), lit(true))
              .when(t.isin("false", "0", "no", "n", "f", "0.0"), lit(false)));
    }
  }
}
