/**
 * Temperature that minimises the negative log-likelihood of held-out logits, so that
 * a confidence of 0.6 is right about 60% of the time and the review threshold means
 * what it says. Golden-section search on log T; NLL is unimodal in T.
 */
export function fitTemperature(logitRows: Float64Array[], truth: number[]): number {
  if (logitRows.length === 0) return 1;
  const nll = (t: number) => {
    let total = 0;
    for (let i = 0; i < logitRows.length; i++) {
      const row = logitRows[i];
      let max = -Infinity;
      for (const s of row) if (s > max) max = s;
      let sum = 0;
      for (const s of row) sum += Math.exp((s - max) / t);
      total += Math.log(sum) - (row[truth[i]] - max) / t;
    }
    return total;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(Math.exp(a));
  let fb = nll(Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
