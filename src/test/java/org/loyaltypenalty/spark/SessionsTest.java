package org.loyaltypenalty.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.config.AuditConfig;
import org.loyaltypenalty.config.ConfigLoader;

class SessionsTest {
  @Test
  void localModeTurnsAdaptiveExecutionOffUnlessTheConfigurationSetsIt() {
    assertEquals(Optional.of("false"), Sessions.adaptiveExecution(new SparkConf(false), true));
    SparkConf asked = new SparkConf(false).set("spark.sql.adaptive.enabled", "true");
    assertEquals(Optional.empty(), Sessions.adaptiveExecution(asked, true));
  }

  @Test
  void clusterKeepsSparksAdaptiveExecutionDefault() {
    assertEquals(Optional.empty(), Sessions.adaptiveExecution(new SparkConf(false), false));
  }

  @Test
  void artifactIsolationIsOffUnlessTheConfigurationSetsIt() {
    assertEquals(Optional.of("false"), Sessions.artifactIsolation(new SparkConf(false)));
    SparkConf asked = new SparkConf(false).set(Sessions.ARTIFACT_ISOLATION, "true");
    assertEquals(Optional.empty(), Sessions.artifactIsolation(asked));
  }

  @Test
  void aConfiguredSessionRunsItsTasksWithoutAClassLoaderOfItsOwn() {
    // the shared test session is built by Sessions.configure, as the jobs' sessions are
    assertEquals("false", org.loyaltypenalty.TestSpark.spark().conf()
        .get(Sessions.ARTIFACT_ISOLATION));
    String loader = org.loyaltypenalty.TestSpark.spark().range(1)
        .map((org.apache.spark.api.java.function.MapFunction<Long, String>) i ->
            Thread.currentThread().getContextClassLoader().getClass().getName(),
            org.apache.spark.sql.Encoders.STRING())
        .first();
    assertFalse(loader.endsWith("ExecutorClassLoader"), loader);
  }

  @Test
  void localJvmThatCompilesHugeMethodsKeepsSparksDefault() {
    assertEquals(Optional.empty(), Sessions.hugeMethodLimit(new SparkConf(false), true, true));
  }

  @Test
  void localJvmWithoutTheFlagSplitsGeneratedMethodsAtHotSpotsLimit() {
    assertEquals(Optional.of("8000"), Sessions.hugeMethodLimit(new SparkConf(false), true, false));
  }

  @Test
  void clusterFollowsTheExecutorsJavaOptionsNotTheDriversJvm() {
    SparkConf withFlag = new SparkConf(false)
        .set("spark.executor.extraJavaOptions", "-Xss4m -XX:-DontCompileHugeMethods");
    assertEquals(Optional.empty(), Sessions.hugeMethodLimit(withFlag, false, false));
    assertEquals(Optional.of("8000"), Sessions.hugeMethodLimit(new SparkConf(false), false, true));
  }

  @Test
  void anExplicitLimitInTheSubmittedConfigurationWins() {
    SparkConf explicit = new SparkConf(false).set("spark.sql.codegen.hugeMethodLimit", "20000");
    assertEquals(Optional.empty(), Sessions.hugeMethodLimit(explicit, true, false));
    assertEquals(Optional.empty(), Sessions.hugeMethodLimit(explicit, false, false));
  }

  @Test
  void theLastMentionOfTheFlagAmongTheExecutorsOptionsWins() {
    SparkConf overridden = new SparkConf(false)
        .set("spark.executor.defaultJavaOptions", "-XX:-DontCompileHugeMethods")
        .set("spark.executor.extraJavaOptions", "-XX:+DontCompileHugeMethods");
    assertEquals(Optional.of("8000"), Sessions.hugeMethodLimit(overridden, false, true));
    SparkConf byDefault = new SparkConf(false)
        .set("spark.executor.defaultJavaOptions", "-XX:-DontCompileHugeMethods");
    assertEquals(Optional.empty(), Sessions.hugeMethodLimit(byDefault, false, false));
  }

  @Test
  void onlyLocalMastersRunTheExecutorsInThisJvm() {
    assertTrue(Sessions.isLocal("local"));
    assertTrue(Sessions.isLocal("local[2]"));
    assertTrue(Sessions.isLocal("local[*, 4]"));
    assertFalse(Sessions.isLocal("local-cluster[2, 1, 1024]"));
    assertFalse(Sessions.isLocal("yarn"));
  }

  @Test
  void anExistingSessionKeepsItsShufflePartitionsUnlessTheConfigSetsThem() {
    org.apache.spark.sql.SparkSession spark = org.loyaltypenalty.TestSpark.spark();
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "3");
      Sessions.apply(spark, AuditConfig.defaults());
      assertEquals("3", spark.conf().get("spark.sql.shuffle.partitions"));
      Sessions.apply(spark, ConfigLoader.fromMap(
          java.util.Map.of("spark.shuffle_partitions", "5"), "test"));
      assertEquals("5", spark.conf().get("spark.sql.shuffle.partitions"));
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
  }

  @Test
  void aSessionTheRunStartsHasTheConfiguredOrDefaultShufflePartitions() {
    assertEquals(8, Sessions.shufflePartitions(AuditConfig.defaults()));
    assertEquals(5, Sessions.shufflePartitions(ConfigLoader.fromMap(
        java.util.Map.of("spark.shuffle_partitions", "5"), "test")));
  }

  @Test
  void aSmallLocalInputGetsOneShufflePartitionPerSixteenMibAndAtLeastOnePerCore() {
    AuditConfig defaults = AuditConfig.defaults();
    long mib = 1L << 20;
    assertEquals(2, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(0), 2));
    assertEquals(2, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(3 * mib), 2));
    assertEquals(2, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(32 * mib), 2));
    assertEquals(3, Sessions.shufflePartitions(defaults,
        java.util.OptionalLong.of(32 * mib + 1), 2));
    assertEquals(1, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(mib), 1));
    assertEquals(4, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(mib), 4));
  }

  @Test
  void aLargeUnknownOrConfiguredInputKeepsTheConfiguredOrDefaultShufflePartitions() {
    AuditConfig defaults = AuditConfig.defaults();
    long mib = 1L << 20;
    assertEquals(8, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(300 * mib), 2));
    assertEquals(8, Sessions.shufflePartitions(defaults, java.util.OptionalLong.empty(), 2));
    // more cores than the default: the default, not one per core
    assertEquals(8, Sessions.shufflePartitions(defaults, java.util.OptionalLong.of(mib), 16));
    AuditConfig five = ConfigLoader.fromMap(java.util.Map.of("spark.shuffle_partitions", "5"),
        "test");
    assertEquals(5, Sessions.shufflePartitions(five, java.util.OptionalLong.of(mib), 2));
    assertEquals(5, Sessions.shufflePartitions(five, java.util.OptionalLong.empty(), 2));
  }

  @Test
  void cachesAreStoredAsCompressedBlocksOfPlainColumnsUnlessTheConfigurationSetsEitherKey() {
    assertEquals(java.util.Map.of(Sessions.RDD_COMPRESS, "true",
        Sessions.COLUMNAR_COMPRESSED, "false"), Sessions.cacheForm(new SparkConf(false)));
    assertEquals(java.util.Map.of(),
        Sessions.cacheForm(new SparkConf(false).set(Sessions.RDD_COMPRESS, "false")));
    assertEquals(java.util.Map.of(),
        Sessions.cacheForm(new SparkConf(false).set(Sessions.COLUMNAR_COMPRESSED, "true")));
  }

  @Test
  void aConfiguredSessionCachesSerialisedAndASessionWithEncodedColumnsDeserialised() {
    // the shared test session is built by Sessions.configure, as the jobs' sessions are
    org.apache.spark.sql.SparkSession spark = org.loyaltypenalty.TestSpark.spark();
    assertEquals(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER(),
        Sessions.cacheLevel(spark));
    String before = spark.conf().get(Sessions.COLUMNAR_COMPRESSED);
    try {
      // a session whose cached columns are encoded (Spark's default) keeps them deserialised
      spark.conf().set(Sessions.COLUMNAR_COMPRESSED, "true");
      assertEquals(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK(),
          Sessions.cacheLevel(spark));
    } finally {
      spark.conf().set(Sessions.COLUMNAR_COMPRESSED, before);
    }
  }

  @Test
  void onlyCompressedBlocksOfPlainColumnsAreCachedSerialised() {
    org.apache.spark.storage.StorageLevel serialised =
        org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER();
    org.apache.spark.storage.StorageLevel deserialised =
        org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK();
    assertEquals(serialised, Sessions.cacheLevel(true, false));
    assertEquals(deserialised, Sessions.cacheLevel(true, true));
    // serialised blocks left uncompressed would take the plain columns' full size
    assertEquals(deserialised, Sessions.cacheLevel(false, false));
    assertEquals(deserialised, Sessions.cacheLevel(false, true));
  }

  @Test
  void aDatasetCachedSerialisedReadsBackTheSameRows() {
    org.apache.spark.sql.SparkSession spark = org.loyaltypenalty.TestSpark.spark();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> data = spark.range(0, 5000, 1, 3)
        .selectExpr("id", "concat('c', cast(id % 37 as string)) as customer",
            "if(id % 11 = 0, null, id * 0.25) as price");
    java.util.List<org.apache.spark.sql.Row> expected = data.collectAsList();
    CachedRows cached = CachedRows.of(data, Sessions.cacheLevel(spark));
    try {
      assertEquals(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK_SER(),
          data.storageLevel());
      assertEquals(expected, cached.rows().collectAsList());
      assertEquals(expected.stream().filter(r -> r.getString(1).equals("c5")).toList(),
          cached.rows().filter("customer = 'c5'").collectAsList());
    } finally {
      cached.release();
    }
  }
}
