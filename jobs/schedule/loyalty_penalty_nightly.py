"""Apache Airflow DAG: the nightly loyalty-penalty audit on a Spark cluster.

Needs apache-airflow-providers-apache-spark and a `spark_default` connection to the cluster
(YARN or Kubernetes). Build the jar with Spark as provided: `mvn -B -Pcluster -DskipTests clean package`
(into target/cluster/), and copy target/cluster/ to LPD_HOME/target/cluster on the Airflow workers.

The day audited is the start of the run's data interval in the audit's time zone (TZ, which
must equal input.timezone in the audit's config): with the 02:30 schedule below, the day that
ended 2.5 hours earlier. The interval timetable is set explicitly because Airflow 3's default
for a cron string dates a run by its own start, which would audit today's partial day.

The driver runs on the Airflow worker (deploy mode client), so the job's exit code is the
task's and its log is the task log: exit 3 (a penalty newly confirmed tonight) fails the task
without a retry (the audit itself succeeded; see the night's report), while 1 (failure) and 2
(bad input, e.g. the day's export not landed yet) are retried once. In YARN cluster mode the
driver's exit code would not reach spark-submit (YARN reports only failed or succeeded).
Re-running a date from the Airflow UI replaces that date's results.
"""
import re
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

LPD_HOME = "/opt/loyalty-penalty"
HISTORY = "hdfs:///data/loyalty-penalty/history"
CONFIG = "/etc/loyalty-penalty/audit.properties"  # read by the driver, on the worker
TZ = "Asia/Shanghai"  # = input.timezone in CONFIG
NEW_PENALTIES = 3


class NightlyAudit(SparkSubmitOperator):
    """spark-submit; exit 3 fails the task for alerting, without retrying the audit."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            code = re.search(r"Error code is: (\d+)", str(e))
            if code and int(code.group(1)) == NEW_PENALTIES:
                raise AirflowFailException(
                    "penalties newly confirmed tonight (exit 3): see the night's report under "
                    f"{HISTORY}/runs/") from e
            raise


with DAG(
    dag_id="loyalty_penalty_nightly",
    schedule=CronDataIntervalTimetable("30 2 * * *", timezone=TZ),
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 1,
        "retry_delay": timedelta(minutes=30),
        "email": ["pricing-integrity@example.org"],
        "email_on_failure": True,
    },
    tags=["pricing-integrity"],
) as dag:
    day = "{{ data_interval_start.in_timezone('" + TZ + "').strftime('%Y-%m-%d') }}"
    NightlyAudit(
        task_id="audit_yesterday",
        conn_id="spark_default",
        deploy_mode="client",
        application=f"{LPD_HOME}/target/cluster/loyalty-penalty-detector.jar",
        java_class="org.loyaltypenalty.cli.LoyaltyPenaltyCli",
        packages="io.delta:delta-spark_2.13:4.1.0",
        # Spark provides logging; Delta's copies would be second ones, and on a machine whose
        # Maven repository holds their poms but not their jars, Ivy fails to resolve them
        exclude_packages="org.apache.logging.log4j:log4j-slf4j2-impl,org.apache.logging.log4j:log4j-api,"
                         "org.apache.logging.log4j:log4j-core,org.slf4j:slf4j-api",
        # spark-submit expands the glob itself (SPARK-21012), when the task runs
        jars=f"{LPD_HOME}/target/cluster/lib/*.jar",
        conf={
            "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            # let HotSpot compile Spark's large generated methods, and keep an executor from
            # holding a direct buffer as large as a cached partition it read back from disk
            # (docs/operations.md, cluster section); these replace the cluster's defaults:
            # append any options spark-defaults.conf sets
            "spark.driver.extraJavaOptions": "-XX:-DontCompileHugeMethods",
            "spark.executor.extraJavaOptions":
                "-XX:-DontCompileHugeMethods -Djdk.nio.maxCachedBufferSize=262144",
        },
        application_args=[
            "nightly",
            "--quotes", "hdfs:///data/exports/quotes",
            "--purchases", "hdfs:///data/exports/purchases",
            "--format", "parquet",
            "--history", HISTORY,
            "--config", CONFIG,
            "--date", day,
            "--fail-on-new-penalties",
        ],
        name="loyalty-penalty-nightly-" + day,
    )
