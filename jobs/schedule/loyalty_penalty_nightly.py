"""Apache Airflow DAG: the nightly loyalty-penalty audit on a Spark cluster.

Needs apache-airflow-providers-apache-spark and a `spark_default` connection to the cluster
(YARN or Kubernetes). Build the jar with Spark as provided: `mvn -B -Pcluster -DskipTests clean package`,
and copy target/loyalty-penalty-detector.jar and target/lib/ to LPD_HOME on the Airflow workers.

{{ ds }} is the run's logical date: for a daily schedule, the day that just ended, which is
the day audited. The task fails (and Airflow alerts) on exit 3, a penalty newly confirmed
tonight, as well as on real failures (1) and bad input (2); the task log tells which.
Re-running a date from the Airflow UI replaces that date's results.
"""
from datetime import datetime, timedelta
from glob import glob

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

LPD_HOME = "/opt/loyalty-penalty"
HISTORY = "hdfs:///data/loyalty-penalty/history"

with DAG(
    dag_id="loyalty_penalty_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=30), "email_on_failure": True},
    tags=["pricing-integrity"],
) as dag:
    SparkSubmitOperator(
        task_id="audit_yesterday",
        conn_id="spark_default",
        application=f"{LPD_HOME}/target/loyalty-penalty-detector.jar",
        java_class="org.loyaltypenalty.cli.LoyaltyPenaltyCli",
        packages="io.delta:delta-spark_2.13:4.1.0",
        jars=",".join(sorted(glob(f"{LPD_HOME}/target/lib/*.jar"))),
        conf={
            "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            # let HotSpot compile Spark's large generated methods (see README, cluster section);
            # these replace the cluster's defaults: append any options spark-defaults.conf sets
            "spark.driver.extraJavaOptions": "-XX:-DontCompileHugeMethods",
            "spark.executor.extraJavaOptions": "-XX:-DontCompileHugeMethods",
        },
        application_args=[
            "nightly",
            "--quotes", "hdfs:///data/exports/quotes",
            "--purchases", "hdfs:///data/exports/purchases",
            "--format", "parquet",
            "--history", HISTORY,
            "--date", "{{ ds }}",
            "--fail-on-new-penalties",
        ],
        name="loyalty-penalty-nightly-{{ ds }}",
    )
