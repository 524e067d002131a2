/**
 * The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n (scipy's
 * `kstwo.sf(d, n)`), which `ks2samp` needs for large samples. Ported from scipy/stats/_ksstats.py
 * (Simard & L'Ecuyer 2011 choice of algorithm by n and n·d²):
 *
 * - Ruben–Gambino closed forms at the ends of the range;
 * - the Durbin matrix (Marsaglia–Tsang–Wang) for small n·d²; scipy uses Pomeranz's recursion for
 *   n <= 140 and 0.754693 < n·d² <= 4, which computes the same exact value: we use Durbin there too;
 * - Pelz–Good's asymptotic series for large n;
 * - 2 · Smirnov's one-sided tail (Birnbaum–Tingey sum) for large n·d². scipy sums it in double-double
 *   arithmetic; we sum the terms in log space (relative error about n · 1e-16).
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT2PI = Math.sqrt(2 * Math.PI);
const MIN_LOG = -708;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const STIRLING = [-0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333];

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** x · 2^e without intermediate overflow of 2^e. */
function ldexp(x: number, e: number): number {
  let v = x;
  let k = e;
  while (k > 1000) { v *= 2 ** 1000; k -= 1000; }
  while (k < -1000) { v *= 2 ** -1000; k += 1000; }
  return v * 2 ** k;
}

function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function matmul(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const m = a.length;
  const out = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    const ai = a[i]!;
    const oi = out[i]!;
    for (let k = 0; k < m; k++) {
      const aik = ai[k]!;
      if (aik === 0) continue;
      const bk = b[k]!;
      for (let j = 0; j < m; j++) oi[j]! += aik * bk[j]!;
    }
  }
  return out;
}

/** Pr(D_n <= d) by the Durbin matrix algorithm (Marsaglia, Tsang, Wang 2003). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array[] = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r]![i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r]![0] = v[r]!;
  for (let c = 0; c < m; c++) H[m - 1]![c] = v[m - 1 - c]!;
  let P: Float64Array[] = Array.from({ length: m }, (_, i) => { const row = new Float64Array(m); row[i] = 1; return row; });
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2 === 1) {
      P = matmul(P, H);
      expnt += hExpnt;
    }
    H = matmul(H, H);
    hExpnt *= 2;
    if (Math.abs(H[k - 1]![k - 1]!) > E128) {
      for (const row of H) for (let j = 0; j < m; j++) row[j]! /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[k - 1]![k - 1]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return clip01(expnt !== 0 ? ldexp(p, expnt) : p);
}

/** Pelz–Good approximation to Pr(D_n <= x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / div[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/**
 * Smirnov's one-sided tail Pr(D+_n >= x) (scipy.special.smirnov) by the Birnbaum–Tingey sum, for the
 * x > 1/n that kolmogorovSf asks for.
 */
export function smirnovSf(n: number, x: number): number {
  if (n === 1) return 1 - x;
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const nx = n * x;
  const nxfl = Math.floor(nx);
  const alpha = nx - nxfl;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (nxfl >= n - 1) return (1 - x) ** n;
  if (n > 1_000_000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Terms v = 0 .. last, with v < n(1 - x): C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), summed in logs.
  const last = n - nxfl - 1; // scipy: floor(n(1 - x)), excluding v = n(1 - x) exactly
  const logs = new Float64Array(last + 1);
  let logC = 0;
  let max = -Infinity;
  for (let v = 0; v <= last; v++) {
    if (v > 0) logC += Math.log((n - v + 1) / v);
    const a = (n - v) / n - x;
    const l = logC + (n - v) * Math.log(a) + (v - 1) * Math.log(x + v / n);
    logs[v] = l;
    if (l > max) max = l;
  }
  let s = 0;
  for (let v = 0; v <= last; v++) s += Math.exp(logs[v]! - max);
  return clip01(x * Math.exp(max) * s);
}

/**
 * Pr(D_n > x) for the two-sided one-sample KS statistic with sample size n (scipy `kstwo.sf(x, n)`).
 *
 * @example
 *   kolmogorovSf(100, 0.1); // ≈ 0.25269 (scipy: kstwo.sf(0.1, 100))
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    if (nxx <= 4) return clip01(1 - durbinCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}
