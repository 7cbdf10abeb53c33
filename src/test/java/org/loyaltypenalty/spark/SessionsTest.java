package org.loyaltypenalty.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SessionsTest {
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
}
