package org.loyaltypenalty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.loyaltypenalty.TestSpark;

/**
 * Cross-checks the alternating-projections point estimates with Spark MLlib's own least squares
 * ({@code LinearRegression}, normal-equation solver, no regularisation) on the explicit one-hot
 * design: the same coefficients, by a different algorithm in a different library.
 */
class FixedEffectsVersusMllibTest {
  @Test
  void absorbedFixedEffectsGiveTheSameCohortCoefficientsAsMllibWithDummies() {
    double[] y = FixedEffectsRegressionTest.y();
    StructType schema = new StructType().add("y", DataTypes.DoubleType)
        .add("repeat", DataTypes.DoubleType).add("loyal", DataTypes.DoubleType)
        .add("hour", DataTypes.DoubleType).add("channel", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      int c = FixedEffectsRegressionTest.COHORT[i];
      rows.add(RowFactory.create(y[i], c == 1 ? 1.0 : 0.0, c == 2 ? 1.0 : 0.0,
          (double) FixedEffectsRegressionTest.HOUR[i], (double) FixedEffectsRegressionTest.CHANNEL[i]));
    }
    Dataset<Row> data = TestSpark.spark().createDataFrame(rows, schema);
    OneHotEncoder dummies = new OneHotEncoder().setInputCols(new String[] {"hour", "channel"})
        .setOutputCols(new String[] {"hour_d", "channel_d"}).setDropLast(true);
    VectorAssembler features = new VectorAssembler()
        .setInputCols(new String[] {"repeat", "loyal", "hour_d", "channel_d"}).setOutputCol("features");
    LinearRegression ols = new LinearRegression().setSolver("normal").setRegParam(0)
        .setFitIntercept(true).setStandardization(false).setLabelCol("y");
    PipelineModel model = new Pipeline()
        .setStages(new PipelineStage[] {dummies, features, ols}).fit(data);
    double[] mllib = ((LinearRegressionModel) model.stages()[2]).coefficients().toArray();

    FixedEffectsRegression.Fit fit = FixedEffectsRegression.fit(y,
        FixedEffectsRegressionTest.cohortDummies(),
        new int[][] {FixedEffectsRegressionTest.HOUR, FixedEffectsRegressionTest.CHANNEL},
        FixedEffectsRegressionTest.CUSTOMER, null, FixedEffectsRegression.Options.DEFAULT);
    assertEquals(mllib[0], fit.coefficients()[0], 1e-9, "repeat");
    assertEquals(mllib[1], fit.coefficients()[1], 1e-9, "loyal");
  }
}
