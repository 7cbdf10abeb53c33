package org.loyaltypenalty.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.loyaltypenalty.Columns;
import org.loyaltypenalty.Errors;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ColumnMapping;
import org.loyaltypenalty.config.Segments;
import org.loyaltypenalty.privacy.PseudonymKey;

/**
 * Reads a quotes, purchases or customers input as it is, and renames its columns to the canonical names of
 * {@link Columns} through the config's column mapping. Every value is kept as read (CSV values
 * stay strings) so that validation can tell an unparseable value from a missing one; the row as
 * read (its contract columns only) is kept in the struct column {@code raw} for the quarantine.
 * With {@code privacy.key_file} set, customer ids are pseudonymised here, as they are read.
 */
public final class InputReader {
  private static final String BOM = "\uFEFF";

  private final SparkSession spark;
  private final AuditConfig config;
  private final Optional<PseudonymKey> key;
  private final RecordedChecksums checksums;

  /**
   * A reader of {@code config}'s inputs that hashes every file it reads; loads its
   * pseudonymisation key when one is set.
   */
  public InputReader(SparkSession spark, AuditConfig config) {
    this(spark, config, RecordedChecksums.none());
  }

  /**
   * A reader that reuses the checksums an earlier run recorded for files unchanged since, and
   * records those of the files it reads.
   */
  public InputReader(SparkSession spark, AuditConfig config, RecordedChecksums checksums) {
    this.spark = spark;
    this.config = config;
    this.key = config.privacy().keyFile().map(PseudonymKey::load);
    this.checksums = checksums;
  }

  /** The pseudonymisation key the reader applies to customer ids; empty without one. */
  public Optional<PseudonymKey> key() {
    return key;
  }

  /** A dataset in canonical names, and the description of what was read. */
  public record Input(Dataset<Row> data, InputDescription description) {}

  /**
   * The rows of {@code path} as they are, with no mapping or check: a CSV with a header (every
   * column a string) or Parquet. The benchmark's baseline scan.
   */
  public static Dataset<Row> bare(SparkSession spark, String path, InputFormat format) {
    return format == InputFormat.CSV
        ? spark.read().option("header", "true").csv(path)
        : spark.read().parquet(path);
  }

  /** The quotes of {@code path} in canonical names, and the description of what was read. */
  public Input readQuotes(String path, InputFormat format) {
    return new Input(quotes(path, format), describe("quotes", path, format));
  }

  /**
   * The quotes of {@code path} in canonical names, lazily; their files are described apart
   * ({@link #describe}), so that a caller can hash them while other jobs read the rows.
   */
  public Dataset<Row> quotes(String path, InputFormat format) {
    return canonical(readRaw("quotes", path, format), "quotes", path, format,
        config.quoteColumns(), quoteRequired(), Columns.Quotes.all());
  }

  /** The purchases of {@code path} in canonical names, and the description of what was read. */
  public Input readPurchases(String path, InputFormat format) {
    return new Input(purchases(path, format), describe("purchases", path, format));
  }

  /** The purchases of {@code path} in canonical names, lazily (described apart, as quotes). */
  public Dataset<Row> purchases(String path, InputFormat format) {
    return canonical(readRaw("purchases", path, format), "purchases", path, format,
        config.purchaseColumns(), Columns.Purchases.REQUIRED, Columns.Purchases.all());
  }

  /**
   * Reads the customers input: only {@code customer_id} and the columns the configured segments
   * need ({@link Segments#customerColumns(AuditConfig)}); its other columns are never loaded
   * into the run, not even into the row as read ({@code raw}) that the quarantine keeps. A
   * column a segment reads and the input lacks stops the run, naming the segment.
   */
  public Input readCustomers(String path, InputFormat format) {
    return new Input(customers(path, format), describe("customers", path, format));
  }

  /** The customers of {@code path} as {@link #readCustomers} reads them, lazily. */
  public Dataset<Row> customers(String path, InputFormat format) {
    List<String> needed = Segments.customerColumns(config);
    if (needed.isEmpty()) {
      throw new IllegalStateException("no configured segment reads the customers input");
    }
    return canonical(readRaw("customers", path, format), "customers", path, format,
        config.customerColumns(), List.of(Columns.Customers.CUSTOMER_ID), needed);
  }

  /** A price experiment is read from both its columns, or from neither. */
  private static void requireBothExperimentColumns(ColumnMapping mapping,
      List<String> available) {
    String id = Columns.Quotes.EXPERIMENT_ID;
    String arm = Columns.Quotes.EXPERIMENT_ARM;
    boolean hasId = available.contains(mapping.source(id));
    boolean hasArm = available.contains(mapping.source(arm));
    if (hasId != hasArm) {
      String missing = hasId ? arm : id;
      throw Errors.experimentColumnMissing(hasId ? id : arm, missing, mapping.source(missing),
          available);
    }
  }

  private List<String> quoteRequired() {
    List<String> required = new ArrayList<>(Columns.Quotes.REQUIRED);
    if (config.generateQuoteId()) {
      required.remove(Columns.Quotes.QUOTE_ID);
    }
    if (config.defaultCurrency().isPresent()) {
      required.remove(Columns.Quotes.CURRENCY);
    }
    return required;
  }

  private Dataset<Row> readRaw(String what, String path, InputFormat format) {
    requireReadable(what, path);
    try {
      return switch (format) {
        case CSV -> csvReader(what)
            .option("header", "true")
            .option("inferSchema", "false")
            .option("sep", config.csv(what).delimiter())
            .option("encoding", config.csv(what).encoding())
            .option("quote", "\"")
            .option("escape", "\"")
            // records whose quoted fields hold line breaks are read whole (RFC 4180); only then,
            // as Spark cannot split a file read as multi-line records between tasks
            .option("multiLine", Boolean.toString(probeCsv(what, path).multiLine()))
            .option("mode", "PERMISSIVE")
            .option("enforceSchema", "false")
            .csv(path);
        case PARQUET -> spark.read().parquet(path);
        case DELTA -> spark.read().format("delta").load(path);
      };
    } catch (org.loyaltypenalty.UserException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.unreadableInput(what, path, format.sparkName(), firstLine(e));
    }
  }

  /**
   * Spark 4 reads CSV only in the charsets of its own list (UTF-8, UTF-16/32, US-ASCII,
   * ISO-8859-1) unless its legacy setting for Java's charsets is on; it is turned on for an input
   * in another encoding (GB18030, Big5, windows-1252, ...).
   */
  private org.apache.spark.sql.DataFrameReader csvReader(String what) {
    String encoding = config.csv(what).encoding();
    if (!java.util.Set.of("UTF-8", "US-ASCII", "ISO-8859-1").contains(encoding)) {
      spark.conf().set("spark.sql.legacy.javaCharsets", "true");
    }
    return spark.read();
  }

  /**
   * Probes a CSV input's bytes ({@link CsvProbe}): a file not valid in {@code csv.encoding}
   * stops the run, naming the encoding to try.
   */
  private CsvProbe.Result probeCsv(String what, String path) {
    String encoding = config.csv(what).encoding();
    CsvProbe.Result probe = CsvProbe.probe(spark, path, encoding);
    probe.firstInvalid().ifPresent(bad -> {
      throw Errors.invalidEncoding(what, bad.file(), encoding, bad.offset(),
          bad.invalidLines(), bad.suggestion());
    });
    return probe;
  }

  /**
   * The input in canonical names, with the row as read in {@code raw}: only the columns of the
   * contract that the input has ({@code all}, through the mapping), never its other columns, and
   * the customer id pseudonymised in both when a key is set. Quotes whose ids are generated get
   * {@link Columns.Derived#ROW_DIGEST}: the SHA-256 of the whole row (every column, the customer
   * id pseudonymised), from which validation derives the id; no other column leaves this step.
   */
  private Dataset<Row> canonical(Dataset<Row> raw, String what, String path,
      InputFormat format, ColumnMapping mapping, List<String> required, List<String> all) {
    if (raw.columns().length > 0 && raw.columns()[0].startsWith(BOM)) {
      // a UTF-8 byte order mark (Excel writes one) is not part of the first column's name
      raw = raw.withColumnRenamed(raw.columns()[0], raw.columns()[0].substring(BOM.length()));
    }
    List<String> available = Arrays.asList(raw.columns());
    if (available.isEmpty()) {
      throw Errors.emptyInput(what, path);
    }
    for (String canonical : required) {
      String source = mapping.source(canonical);
      if (!available.contains(source)) {
        Optional<Character> delimiter = format == InputFormat.CSV
            ? likelyDelimiter(available, config.csv(what).delimiter()) : Optional.empty();
        throw delimiter.isPresent()
            ? Errors.wrongDelimiter(what, canonical, available, delimiter.get())
            : Errors.missingColumn(what, canonical, source, available);
      }
    }
    if (what.equals("quotes")) {
      Segments.requireQuoteColumns(config, available);
      requireOfferColumn(config, available);
      requireBothExperimentColumns(mapping, available);
    } else if (what.equals("customers")) {
      Segments.requireCustomerColumns(config, available);
    }
    for (String canonical : all) {
      if (mapping.isMapped(canonical) && !available.contains(mapping.source(canonical))) {
        throw Errors.missingColumn(what, canonical, mapping.source(canonical), available);
      }
    }
    String idSource = mapping.source(Columns.Quotes.CUSTOMER_ID);
    if (key.isPresent() && available.contains(idSource)) {
      // the first step that reads the ids replaces them: nothing after this sees a raw id
      raw = raw.withColumn(idSource, key.get().pseudonymise(col(quoted(idSource))));
    }
    List<Column> out = new ArrayList<>();
    for (String canonical : all) {
      String source = mapping.source(canonical);
      if (available.contains(source)) {
        out.add(col(quoted(source)).as(canonical));
      }
    }
    Column[] rawColumns = all.stream().map(mapping::source).filter(available::contains)
        .map(c -> col(quoted(c))).toArray(Column[]::new);
    out.add(struct(rawColumns).as(Columns.Derived.RAW));
    if (what.equals("quotes") && (config.generateQuoteId()
        || !available.contains(mapping.source(Columns.Quotes.QUOTE_ID)))) {
      Column[] whole = available.stream().map(c -> col(quoted(c))).toArray(Column[]::new);
      out.add(sha2(to_json(struct(whole)), 256).as(Columns.Derived.ROW_DIGEST));
    }
    return raw.select(out.toArray(Column[]::new));
  }

  /**
   * Fails when {@code offers.disclosed} lists offers and {@code header}, the quotes input's
   * column names, has no {@code offer_id} (as mapped).
   */
  public static void requireOfferColumn(AuditConfig config, java.util.Collection<String> header) {
    String column = config.quoteColumns().source(Columns.Quotes.OFFER_ID);
    if (!config.disclosedOffers().isEmpty() && !header.contains(column)) {
      throw Errors.disclosedOffersWithoutColumn(column, header);
    }
  }

  /**
   * The separator a CSV header read with {@code configured} appears to use instead: the most
   * frequent of {@code ; \t | ,} in the column names, other than {@code configured} (as Spark
   * reads it: {@code \t} written as backslash and t is a tab); empty when the names hold none.
   */
  static Optional<Character> likelyDelimiter(List<String> header, String configured) {
    String names = String.join("", header);
    Character best = null;
    long most = 0;
    for (char candidate : new char[] {';', '\t', '|', ','}) {
      long n = names.chars().filter(c -> c == candidate).count();
      boolean isConfigured = configured.equals(String.valueOf(candidate))
          || (candidate == '\t' && configured.equals("\\t"));
      if (n > most && !isConfigured) {
        best = candidate;
        most = n;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private void requireReadable(String what, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoopConf());
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw Errors.pathNotFound(what, path);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.pathUnreadable(what, path, firstLine(e));
    }
  }

  /**
   * What {@code path} read, every file with its SHA-256, sorted by path: the files of a file,
   * directory or glob input (hidden and {@code _} files left out, as Spark leaves them out), or
   * the data files of the Delta version read. The files are listed on the driver; their bytes
   * are hashed on the executors, in parallel ({@link FileChecksums#sha256All}), except a file
   * whose checksum is recorded for its path, length and modification time
   * ({@link RecordedChecksums}); the record then takes this input's files.
   */
  public InputDescription describe(String what, String path, InputFormat format) {
    Optional<Long> version = Optional.empty();
    List<FileStatus> listed = new ArrayList<>();
    try {
      if (format == InputFormat.DELTA) {
        Row last = io.delta.tables.DeltaTable.forPath(spark, path).history(1).select("version").first();
        version = Optional.of(last.getLong(0));
        String[] dataFiles = spark.read().format("delta").option("versionAsOf", version.get())
            .load(path).inputFiles();
        for (String dataFile : dataFiles) {
          Path f = new Path(dataFile);
          listed.add(f.getFileSystem(hadoopConf()).getFileStatus(f));
        }
      } else {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(hadoopConf());
        for (FileStatus match : fs.globStatus(p)) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String name = f.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
              listed.add(f);
            }
          }
        }
      }
    } catch (IOException e) {
      throw Errors.pathUnreadable(what, path, firstLine(e));
    }
    listed.sort(java.util.Comparator.comparing(f -> f.getPath().toString()));
    List<String> toHash = new ArrayList<>();
    for (FileStatus f : listed) {
      if (checksums.sha256(f.getPath().toString(), f.getLen(), f.getModificationTime())
          .isEmpty()) {
        toHash.add(f.getPath().toString());
      }
    }
    java.util.Map<String, String> hashed = new java.util.HashMap<>();
    try {
      List<String> digests = FileChecksums.sha256All(spark, hadoopConf(), toHash);
      for (int i = 0; i < toHash.size(); i++) {
        hashed.put(toHash.get(i), digests.get(i));
      }
    } catch (Exception e) {
      // a task's failure to read a file (removed or unreadable since it was listed)
      Throwable cause = e;
      while (cause != null && !(cause instanceof IOException)) {
        cause = cause.getCause();
      }
      if (cause == null) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      throw Errors.pathUnreadable(what, path, firstLine(cause));
    }
    List<InputDescription.FileEntry> files = new ArrayList<>();
    for (FileStatus f : listed) {
      String file = f.getPath().toString();
      String sha256 = hashed.containsKey(file) ? hashed.get(file)
          : checksums.sha256(file, f.getLen(), f.getModificationTime()).orElseThrow();
      files.add(new InputDescription.FileEntry(file, f.getLen(), f.getModificationTime(),
          sha256));
    }
    checksums.record(files);
    return new InputDescription(what, path, format.sparkName(), version, files);
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
