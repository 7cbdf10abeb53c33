package org.loyaltypenalty.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.CachedData;
import org.apache.spark.storage.StorageLevel;

/**
 * A persisted dataset whose later queries start at its cache, not at the plan that computed it.
 *
 * <p>Why: Spark keeps the whole logical plan behind a persisted dataset, and every query built
 * on it is analysed, matched against the cache and planned over that whole plan again, however
 * small the query. Behind the audit's cached quotes are the reader, the checks of every column
 * and the cohort assignment: a plan hundreds of thousands of characters long, which made each
 * of the audit's few dozen small queries spend seconds on the driver before its first task.
 * {@link #of} returns a dataset over the cache's own relation (Spark's {@code InMemoryRelation},
 * the node a cached plan is replaced by anyway), so the queries read the same cached columns,
 * pruned as before, from a plan of one node. The rows, their order and partitioning are those
 * of the persisted dataset.
 *
 * <p>Uses Spark's classic (non-Connect) session internals: {@code CacheManager.lookupCachedData}
 * and {@code Dataset.ofRows}.
 */
public final class CachedRows {
  private final Dataset<Row> persisted;
  private final Dataset<Row> rows;

  private CachedRows(Dataset<Row> persisted, Dataset<Row> rows) {
    this.persisted = persisted;
    this.rows = rows;
  }

  /**
   * Persists {@code data} at {@code level} (lazily, as {@link Dataset#persist} does: the first
   * query over {@link #rows()} fills the cache).
   */
  public static CachedRows of(Dataset<Row> data, StorageLevel level) {
    Dataset<Row> persisted = data.persist(level);
    org.apache.spark.sql.classic.Dataset<Row> classic =
        (org.apache.spark.sql.classic.Dataset<Row>) persisted;
    org.apache.spark.sql.classic.SparkSession session = classic.sparkSession();
    scala.Option<CachedData> cached = session.sharedState().cacheManager()
        .lookupCachedData(classic);
    if (cached.isEmpty()) {
      throw new IllegalStateException("a dataset just persisted is not in the cache");
    }
    return new CachedRows(persisted,
        org.apache.spark.sql.classic.Dataset.ofRows(session, cached.get().cachedRepresentation()));
  }

  /** The cached rows, over a plan of one node. */
  public Dataset<Row> rows() {
    return rows;
  }

  /**
   * Drops the cache. {@link #rows()} must not be read after: its relation would fill a cache
   * of its own that nothing releases.
   */
  public void release() {
    persisted.unpersist();
  }
}
