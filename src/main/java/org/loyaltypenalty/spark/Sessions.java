package org.loyaltypenalty.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigKey;

/**
 * Opens the SparkSession the jobs run in. Under {@code spark-submit} the master and resources
 * come from the submit command; run from the jar on its own, the session is embedded in local
 * mode on all cores.
 */
public final class Sessions {
  /** Spark's limit on the bytecode size of one whole-stage generated method. */
  static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";
  /** The HotSpot flag that lets the JIT compile methods over 8,000 bytecodes. */
  static final String COMPILE_HUGE_METHODS = "-XX:-DontCompileHugeMethods";
  /** HotSpot's own limit (HugeMethodLimit): larger methods stay interpreted unless told. */
  static final int HOTSPOT_HUGE_METHOD_LIMIT = 8000;

  private Sessions() {}

  /**
   * A session for one job. Closing the handle stops the session only if this call created it:
   * a session that already existed (a notebook's, a test suite's) is left running.
   */
  public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  static final String MIN_PARTITIONS = "spark.sql.files.minPartitionNum";
  static final String ADAPTIVE = "spark.sql.adaptive.enabled";
  static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  static final String ARTIFACT_ISOLATION = "spark.sql.artifact.isolation.enabled";
  /** Whether serialised RDD blocks, cached datasets among them, are compressed (block codec). */
  static final String RDD_COMPRESS = "spark.rdd.compress";
  /** Whether Spark encodes each column of a cached batch (dictionary, run lengths...). */
  static final String COLUMNAR_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  /** {@link #open(String, AuditConfig, OptionalLong)} with the inputs' size unknown. */
  public static Handle open(String appName, AuditConfig config) {
    return open(appName, config, OptionalLong.empty());
  }

  /**
   * @param localInputBytes what the job's inputs hold, when every one is local (see
   *     {@link #shufflePartitions(AuditConfig, OptionalLong, int)}); empty: unknown
   */
  public static Handle open(String appName, AuditConfig config, OptionalLong localInputBytes) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    if (existing.isDefined()) {
      apply(existing.get(), config);
      return new Handle(existing.get(), false);
    }
    return new Handle(build(appName, config, localInputBytes), true);
  }

  private static SparkSession build(String appName, AuditConfig config,
      OptionalLong localInputBytes) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      builder
          .master("local[*]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1");
    }
    boolean local = !conf.contains("spark.master") || isLocal(conf.get("spark.master"));
    adaptiveExecution(conf, local).ifPresent(on -> builder.config(ADAPTIVE, on));
    hugeMethodLimit(conf, local, jvmCompilesHugeMethods())
        .ifPresent(limit -> builder.config(HUGE_METHOD_LIMIT, limit));
    SparkSession spark = configure(builder, config).getOrCreate();
    if (!cacheForm(conf).isEmpty() && !blocksCompressed(spark)) {
      // a context that was running already keeps its own block settings: plain columns
      // deserialised would take twice the memory of encoded ones
      spark.conf().set(COLUMNAR_COMPRESSED, "true");
    }
    splitInputs(spark);
    // the master of the context the session runs on (one may have been running already)
    if (isLocal(spark.sparkContext().master())) {
      spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(shufflePartitions(config,
          localInputBytes, spark.sparkContext().defaultParallelism())));
    }
    return spark;
  }

  /**
   * Unless set, {@value #MIN_PARTITIONS} = three tasks per core. The audit reads, validates,
   * places in cohorts and caches the quotes with no shuffle in between, so the input's splits
   * are the tasks of all that work; Spark's default (one split per core, rounded to whole
   * files) left one of two cores idle for a third of it.
   */
  private static void splitInputs(SparkSession spark) {
    if (!spark.conf().contains(MIN_PARTITIONS)) {
      spark.conf().set(MIN_PARTITIONS,
          Integer.toString(3 * spark.sparkContext().defaultParallelism()));
    }
  }

  /**
   * The whole-stage code Spark generates for validating a wide input is one method of well over
   * 8,000 bytecodes. HotSpot never compiles a method that large unless the JVM runs with
   * {@value #COMPILE_HUGE_METHODS}, so the stage that reads and checks every row would run
   * interpreted, much slower than compiled. With the flag (the job scripts pass it; the cluster
   * recipe passes it to the driver and executors) Spark's default stands; without it Spark is
   * told to turn whole-stage code generation off for such stages, which costs far less than
   * running interpreted. An explicit {@value #HUGE_METHOD_LIMIT} in the configuration always
   * wins. Sessions that already exist (notebooks, Databricks) get the same fallback when a job
   * opens them.
   *
   * @param local whether the executors are this JVM
   * @param jvmCompiles whether this JVM compiles huge methods
   * @return the limit to set, or empty to keep Spark's default
   */
  static java.util.Optional<String> hugeMethodLimit(SparkConf conf, boolean local,
      boolean jvmCompiles) {
    if (conf.contains(HUGE_METHOD_LIMIT)) {
      return java.util.Optional.empty();
    }
    // Spark puts the extra options after the default ones; the last mention of the flag wins
    String executorOptions = conf.get("spark.executor.defaultJavaOptions", "") + " "
        + conf.get("spark.executor.extraJavaOptions", "");
    boolean executorsCompile = local
        ? jvmCompiles
        : executorOptions.lastIndexOf(COMPILE_HUGE_METHODS)
            > executorOptions.lastIndexOf(COMPILE_HUGE_METHODS.replace("-XX:-", "-XX:+"));
    return executorsCompile
        ? java.util.Optional.empty()
        : java.util.Optional.of(Integer.toString(HOTSPOT_HUGE_METHOD_LIMIT));
  }

  /**
   * Adaptive query execution off in local mode unless the configuration sets it
   * ({@code -Dspark.sql.adaptive.enabled=true}): on one machine it re-plans every query after
   * each shuffle stage, runs each stage as a job of its own and formats the new plan as text for
   * the listeners, a cost the audit's many small queries pay each time with nothing to gain (the
   * shuffle partitions are few already, and the one large join is chosen explicitly:
   * CohortAssigner). It changes how queries run, never their results. A cluster master keeps
   * Spark's default.
   *
   * @return the value to set, or empty to leave it as configured
   */
  static java.util.Optional<String> adaptiveExecution(SparkConf conf, boolean local) {
    return local && !conf.contains(ADAPTIVE)
        ? java.util.Optional.of("false") : java.util.Optional.empty();
  }

  /** Whether a master runs the executors in this JVM ({@code local-cluster} does not). */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  private static boolean jvmCompilesHugeMethods() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean hotspot = java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return hotspot != null
          && "false".equals(hotspot.getVMOption("DontCompileHugeMethods").getValue());
    } catch (RuntimeException e) {
      return false; // not HotSpot: assume the limit applies
    }
  }

  /**
   * The shuffle partitions a session runs with ({@code spark.sql.shuffle.partitions}): what the
   * steps that size their own work by it read.
   */
  public static int shufflePartitions(SparkSession spark) {
    return Integer.parseInt(spark.conf().get(SHUFFLE_PARTITIONS));
  }

  /** The shuffle partitions of a session the run starts: as configured, or the key's default. */
  static int shufflePartitions(AuditConfig config) {
    return config.shufflePartitions()
        .orElse(Integer.parseInt(ConfigKey.SHUFFLE_PARTITIONS.defaultValue()));
  }

  /**
   * The shuffle partitions of a local session the run starts: as configured; else one per
   * {@value #INPUT_BYTES_PER_PARTITION} bytes of input, at least one per core and at most the
   * key's default ({@link #shufflePartitions(AuditConfig)}); the default when the inputs' size
   * is unknown. Every task of a shuffle is scheduled, and its plan serialised, sent and
   * deserialised, whatever it holds, and an audit runs some eighty jobs whatever its size: on a
   * small input most of their tasks would hold next to nothing. The findings do not depend on
   * the partitions (each SKU's quotes are fitted in a canonical order, sums are exact or taken
   * in a fixed order).
   *
   * @param localInputBytes the bytes of the run's inputs, when all are local
   * @param cores the session's default parallelism
   */
  static int shufflePartitions(AuditConfig config, OptionalLong localInputBytes, int cores) {
    int most = shufflePartitions(config);
    if (config.shufflePartitions().isPresent() || localInputBytes.isEmpty()) {
      return most;
    }
    long bySize = (localInputBytes.getAsLong() + INPUT_BYTES_PER_PARTITION - 1)
        / INPUT_BYTES_PER_PARTITION;
    return (int) Math.max(Math.min(cores, most), Math.min(most, bySize));
  }

  /** Input bytes per shuffle partition for small local inputs. */
  static final long INPUT_BYTES_PER_PARTITION = 16L << 20;

  /**
   * Spark's per-session artifact isolation off unless the configuration sets it. With it on,
   * every executor task loads classes through a class loader of the session's own, which asks
   * the driver for each class it cannot find on the class path; the code Spark generates for
   * each query looks up many names that are not classes, each of them a search of every jar and
   * then a request to the driver. The jobs add no jars, files or classes to a session, so there
   * is nothing to isolate.
   *
   * @return the value to set, or empty to leave it as configured
   */
  static java.util.Optional<String> artifactIsolation(SparkConf conf) {
    return conf.contains(ARTIFACT_ISOLATION)
        ? java.util.Optional.empty() : java.util.Optional.of("false");
  }

  /**
   * How the datasets a job caches are stored, unless the configuration sets either key: each
   * cached batch's columns as they are ({@value #COLUMNAR_COMPRESSED} false), and the batches
   * serialised and compressed as blocks ({@value #RDD_COMPRESS} true, with Spark's block codec,
   * {@code spark.io.compression.codec}, LZ4 by default), at the level {@link #cacheLevel}
   * gives. Spark's default encodes the columns of every batch one by one, and to choose an
   * encoding it probes a dictionary with every value of every column as the cache is built: on
   * the audit's cached quotes, nearly half the work of the stage that builds them. The compressed
   * blocks take less memory than the encoded columns (445 against 637 MiB for the 10M bench
   * data), but every read decompresses and deserialises a partition whole, whichever columns
   * it reads. The values read are the same either way.
   *
   * @return the settings to make, none to leave them as configured
   */
  static Map<String, String> cacheForm(SparkConf conf) {
    return conf.contains(RDD_COMPRESS) || conf.contains(COLUMNAR_COMPRESSED)
        ? Map.of() : Map.of(RDD_COMPRESS, "true", COLUMNAR_COMPRESSED, "false");
  }

  /**
   * The storage level of every dataset a job caches in {@code spark}, as of the call:
   * {@link #cacheLevel(boolean, boolean)} of its context's and its session's settings.
   */
  public static StorageLevel cacheLevel(SparkSession spark) {
    return cacheLevel(blocksCompressed(spark), columnsEncoded(spark));
  }

  /**
   * Serialised, in memory and else on disk, when serialised blocks are compressed and the
   * cached columns are not encoded ({@link #cacheForm}); otherwise deserialised, in memory and
   * else on disk (Spark's usual level, at which a session that Spark configured, such as a
   * notebook's, caches).
   */
  static StorageLevel cacheLevel(boolean blocksCompressed, boolean columnsEncoded) {
    return blocksCompressed && !columnsEncoded
        ? StorageLevel.MEMORY_AND_DISK_SER() : StorageLevel.MEMORY_AND_DISK();
  }

  private static boolean blocksCompressed(SparkSession spark) {
    return spark.sparkContext().getConf().getBoolean(RDD_COMPRESS, false);
  }

  private static boolean columnsEncoded(SparkSession spark) {
    return Boolean.parseBoolean(spark.conf().get(COLUMNAR_COMPRESSED, "true"));
  }

  /** The settings every session of ours needs, embedded or submitted. */
  public static SparkSession.Builder configure(SparkSession.Builder builder, AuditConfig config) {
    SparkConf given = new SparkConf();
    artifactIsolation(given).ifPresent(on -> builder.config(ARTIFACT_ISOLATION, on));
    cacheForm(given).forEach(builder::config);
    return builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", config.timezone().getId())
        .config(SHUFFLE_PARTITIONS, Integer.toString(shufflePartitions(config)))
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.debug.maxToStringFields", "500");
  }

  /**
   * What the run ran on, for the manifest: Spark, Delta and Java versions, the master, the
   * default parallelism and the shuffle settings. The findings do not depend on these (each
   * SKU's quotes are fitted in a canonical order), but an investigator re-running an audit
   * elsewhere should be able to see them.
   */
  public static Map<String, String> runtime(SparkSession spark) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark_version", spark.version());
    m.put("delta_version", deltaVersion());
    m.put("java_version", System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + ")");
    m.put("master", spark.sparkContext().master());
    m.put("default_parallelism", Integer.toString(spark.sparkContext().defaultParallelism()));
    m.put("shuffle_partitions", spark.conf().get(SHUFFLE_PARTITIONS));
    m.put("adaptive_execution", spark.conf().get("spark.sql.adaptive.enabled", "true"));
    return m;
  }

  /**
   * Delta's version, from its Scala package object {@code io.delta.package}: "package" is a Java
   * keyword, so the class is looked up by name.
   */
  private static String deltaVersion() {
    try {
      return (String) Class.forName("io.delta.package").getMethod("VERSION").invoke(null);
    } catch (ReflectiveOperationException e) {
      return "unknown";
    }
  }

  /** Applies the per-run settings to a session that already exists (tests, notebooks). */
  public static void apply(SparkSession spark, AuditConfig config) {
    if (!spark.conf().contains(HUGE_METHOD_LIMIT)) {
      SparkConf conf = spark.sparkContext().getConf();
      hugeMethodLimit(conf, isLocal(spark.sparkContext().master()), jvmCompilesHugeMethods())
          .ifPresent(limit -> spark.conf().set(HUGE_METHOD_LIMIT, limit));
    }
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    // the session's owner chose its shuffle partitions, unless the run's config sets them
    config.shufflePartitions().ifPresent(
        n -> spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(n)));
    splitInputs(spark);
  }
}
