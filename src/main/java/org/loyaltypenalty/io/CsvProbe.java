package org.loyaltypenalty.io;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * One distributed pass over the bytes of a CSV input, line by line, before Spark's CSV reader
 * decodes it. It finds what that reader would hide: byte sequences that are not valid in the
 * configured encoding (the reader replaces them with U+FFFD without a word, so 京东 read as UTF-8
 * from a GBK file becomes four replacement characters), and whether any quoted field spans a
 * line break (a line with an odd number of {@code "}), in which case the file must be parsed as
 * multi-line records (RFC 4180), which Spark cannot split within a file.
 *
 * <p>Lines are split at {@code \n} bytes, which is exact for the ASCII-compatible encodings this
 * supports (UTF-8, GB18030/GBK, Big5, Shift_JIS, the ISO-8859 and windows-125x families): none of
 * them uses the bytes of {@code \n} or {@code "} inside a multi-byte character. Every file a
 * Spark CSV read of the same path would read is probed, except that compressed files are probed
 * after decompression, as Spark reads them.
 */
public final class CsvProbe {
  /** Encodings named to try, in this order, when a file is not valid in the configured one. */
  static final List<String> CANDIDATES =
      List.of("UTF-8", "GB18030", "Big5", "Shift_JIS", "windows-1252");
  private static final int KEPT_BYTES = 4096;

  private CsvProbe() {}

  /** What the probe found. */
  public record Result(long lines, long oddQuoteLines, Optional<InvalidLine> firstInvalid) {
    /** Whether some quoted field spans a line break. */
    public boolean multiLine() {
      return oddQuoteLines > 0;
    }
  }

  /**
   * The first line (by file, then offset) that is not valid in the encoding.
   *
   * @param suggestion the first of {@link #CANDIDATES} (other than the configured encoding) in
   *     which that line is valid, if any
   */
  public record InvalidLine(String file, long offset, long invalidLines, Optional<String> suggestion) {}

  /** Probes every file {@code path} reads, decoding with {@code encoding}. */
  public static Result probe(SparkSession spark, String path, String encoding) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    conf.setBoolean("mapreduce.input.fileinputformat.input.dir.recursive", true);
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>)
        jsc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class, conf);
    List<Summary> parts = lines.mapPartitionsWithInputSplit(
        (split, it) -> List.of(summarise(split, it, encoding)).iterator(), false).collect();
    long total = 0;
    long odd = 0;
    long invalid = 0;
    Summary first = null;
    for (Summary s : parts) {
      total += s.lines;
      odd += s.oddQuoteLines;
      invalid += s.invalidLines;
      if (s.invalidLines > 0 && (first == null || s.file.compareTo(first.file) < 0
          || s.file.equals(first.file) && s.firstInvalidOffset < first.firstInvalidOffset)) {
        first = s;
      }
    }
    Optional<InvalidLine> bad = Optional.empty();
    if (first != null) {
      byte[] kept = first.firstInvalidBytes;
      Optional<String> suggestion = CANDIDATES.stream()
          .filter(c -> !Charset.forName(c).equals(Charset.forName(encoding)))
          .filter(c -> valid(decoder(c), kept, kept.length)).findFirst();
      bad = Optional.of(new InvalidLine(first.file, first.firstInvalidOffset, invalid, suggestion));
    }
    return new Result(total, odd, bad);
  }

  /** What one partition saw. */
  private record Summary(String file, long lines, long oddQuoteLines, long invalidLines,
      long firstInvalidOffset, byte[] firstInvalidBytes) implements Serializable {}

  private static Summary summarise(
      InputSplit split, Iterator<Tuple2<LongWritable, Text>> it, String encoding) {
    String file = split instanceof FileSplit f ? f.getPath().toString() : split.toString();
    CharsetDecoder decoder = decoder(encoding);
    long lines = 0;
    long odd = 0;
    long invalid = 0;
    long firstOffset = -1;
    byte[] firstBytes = new byte[0];
    while (it.hasNext()) {
      Tuple2<LongWritable, Text> line = it.next();
      byte[] b = line._2().getBytes();
      int n = line._2().getLength();
      lines++;
      int quotes = 0;
      boolean ascii = true;
      for (int i = 0; i < n; i++) {
        if (b[i] == '"') {
          quotes++;
        } else if (b[i] < 0) {
          ascii = false;
        }
      }
      if ((quotes & 1) == 1) {
        odd++;
      }
      if (!ascii && !valid(decoder, b, n)) {
        if (invalid == 0) {
          firstOffset = line._1().get();
          firstBytes = Arrays.copyOf(b, Math.min(n, KEPT_BYTES));
        }
        invalid++;
      }
    }
    return new Summary(file, lines, odd, invalid, firstOffset, firstBytes);
  }

  private static CharsetDecoder decoder(String encoding) {
    return Charset.forName(encoding).newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * Whether {@code bytes[0, n)} decode without error. A line cut at {@link #KEPT_BYTES} may end
   * inside a character: the last three bytes are then left out.
   */
  private static boolean valid(CharsetDecoder decoder, byte[] bytes, int n) {
    try {
      decoder.reset().decode(ByteBuffer.wrap(bytes, 0, n));
      return true;
    } catch (CharacterCodingException e) {
      if (n == KEPT_BYTES) {
        return valid(decoder, bytes, n - 3);
      }
      return false;
    }
  }

}
