package io.fieldproof.operator.rollout.gates;

/**
 * A one-sided count test: is seeing {@code events} in {@code trials} evidence that the true rate
 * lies above {@code limit}? Under the hypothesis that it does not, the events are at most
 * Binomial(trials, limit); the p-value is the chance of seeing this many or more. Gates fail a rate
 * only when that chance falls below {@link #SIGNIFICANCE}, so a few unlucky inferences on a canary
 * of one device do not roll a model back, and a real regression does as soon as the counts show it.
 */
final class RateEvidence {

  /**
   * Fail a rate rule when its counts would arise this rarely from a rate within the limit: 1 %, so
   * that one alarm on a canary against a quiet baseline is not yet a rollback.
   */
  static final double SIGNIFICANCE = 0.01;

  /** Relative size below which further terms of the tail no longer change its sum. */
  private static final double NEGLIGIBLE = 1e-17;

  /** log(m!) exactly up to this m, by Stirling's series above. */
  private static final int EXACT_LOG_FACTORIALS = 256;

  private static final double[] LOG_FACTORIAL = logFactorials();

  private RateEvidence() {}

  /** Whether the counts show, at {@link #SIGNIFICANCE}, a rate above {@code limit}. */
  static boolean exceeds(long trials, long events, double limit) {
    return pValue(trials, events, limit) < SIGNIFICANCE;
  }

  /**
   * P(X &ge; events) for X ~ Binomial(trials, limit): 1 when the counts lie at or below the limit's
   * expectation (no evidence of more), 0 when the limit is 0 and an event happened.
   */
  static double pValue(long trials, long events, double limit) {
    if (events <= 0 || limit >= 1 || events <= trials * limit) {
      return 1;
    }
    if (events > trials) {
      return 0;
    }
    if (limit <= 0) {
      return 0;
    }
    double odds = limit / (1 - limit);
    double first =
        Math.exp(
            logChoose(trials, events)
                + events * Math.log(limit)
                + (trials - events) * Math.log1p(-limit));
    double term = first;
    double sum = first;
    for (long i = events; i < trials && term > sum * NEGLIGIBLE; i++) {
      term *= (trials - i) / (double) (i + 1) * odds;
      sum += term;
    }
    return Math.min(1, sum);
  }

  private static double logChoose(long n, long k) {
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  private static double logFactorial(long m) {
    if (m < EXACT_LOG_FACTORIALS) {
      return LOG_FACTORIAL[(int) m];
    }
    double x = m;
    double inverse = 1 / x;
    double inverseSquare = inverse * inverse;
    return x * Math.log(x)
        - x
        + 0.5 * Math.log(2 * Math.PI * x)
        + inverse * (1.0 / 12 - inverseSquare * (1.0 / 360 - inverseSquare / 1260));
  }

  private static double[] logFactorials() {
    double[] table = new double[EXACT_LOG_FACTORIALS];
    for (int m = 2; m < table.length; m++) {
      table[m] = table[m - 1] + Math.log(m);
    }
    return table;
  }
}
