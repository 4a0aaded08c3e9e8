// A party's own linear additive utility, from its preferences as the API returns them.

function piecewise(points, x) {
  const sorted = [...points].map(([px, py]) => [Number(px), Number(py)]).sort((a, b) => a[0] - b[0]);
  if (!sorted.length) return 0;
  if (x <= sorted[0][0]) return sorted[0][1];
  const lastPoint = sorted[sorted.length - 1];
  if (x >= lastPoint[0]) return lastPoint[1];
  for (let i = 1; i < sorted.length; i++) {
    const [x1, y1] = sorted[i];
    if (x <= x1) {
      const [x0, y0] = sorted[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return lastPoint[1];
}

/** Return a function package -> utility (summing the issues it assigns), or null. */
export function utilityOf(preferences, issues) {
  if (!preferences) return null;
  const weights = preferences.normalised_weights || preferences.weights;
  const kinds = new Map(issues.map((issue) => [issue.key, issue.kind]));
  return (pkg) => {
    if (!pkg) return null;
    let total = 0;
    for (const [key, value] of Object.entries(pkg)) {
      const weight = Number(weights[key] || 0);
      const scores = preferences.scores[key];
      if (!weight || scores === undefined) continue;
      let score = 0;
      if (kinds.get(key) === "integer") score = piecewise(scores, Number(value));
      else if (kinds.get(key) === "boolean") score = Number(scores[value ? "true" : "false"] || 0);
      else score = Number(scores[value] || 0);
      total += weight * score;
    }
    return total;
  };
}
