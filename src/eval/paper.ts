/**
 * The paper's reported numbers (UserRL, arXiv 2509.19736 v1), shipped as data so reports can show a run
 * beside them: Table 3 (per-gym scores, GPT-4o as evaluation user, temperature 0, 16 turns),
 * Table 4 (effective turns, time-weighted performance) and Table 2 (test-set sizes, the Avg. weights).
 */

export const PAPER_GYMS = ["travel", "turtle", "function", "tau", "persuade", "intention", "telepathy", "search"] as const;
export type PaperGym = (typeof PAPER_GYMS)[number];

/** Test tasks per gym (Table 2): the weights of the paper's Avg. column. */
export const PAPER_TEST_COUNTS: Record<PaperGym, number> = {
  travel: 471,
  turtle: 48,
  function: 78,
  tau: 165,
  persuade: 42,
  intention: 40,
  telepathy: 41,
  search: 125,
};

export interface PaperRow {
  model: string;
  scores: Record<PaperGym, number>;
  avg: number;
  effectiveTurns: number;
  timeWeighted: number;
}

// Columns: travel, turtle, function, tau, persuade, intention, telepathy, search, avg, effective turns, time-weighted.
const ROWS: [string, ...number[]][] = [
  ["Qwen3-8B (Equalized/R2G)", 0.573, 0.1854, 0.4231, 0.1818, 0.5317, 1.8175, 0.561, 0.888, 0.5652, 6.6463, 0.6516],
  ["Qwen3-8B (EM/R2G)", 0.5025, 0.1917, 0.4103, 0.2, 0.5397, 1.9025, 0.5366, 0.864, 0.5343, 5.8792, 0.5586],
  ["Qwen3-8B (R2G/R2G)", 0.5724, 0.1615, 0.4231, 0.1394, 0.5238, 1.8525, 0.5854, 0.848, 0.5539, 5.105, 0.651],
  ["Qwen3-8B (Equalized/Sum)", 0.5054, 0.1323, 0.2692, 0.2121, 0.504, 1.6275, 0.5366, 0.832, 0.5076, 6.1842, 0.453],
  ["Qwen3-4B (Equalized/R2G)", 0.5086, 0.1844, 0.3333, 0.2, 0.4643, 1.8075, 0.6098, 0.864, 0.5269, 6.1307, 0.6423],
  ["Qwen3-4B (EM/R2G)", 0.5076, 0.1417, 0.3333, 0.1576, 0.4563, 1.7375, 0.6341, 0.864, 0.5154, 5.6743, 0.5355],
  ["Qwen3-4B (R2G/R2G)", 0.4629, 0.1687, 0.3974, 0.1333, 0.5794, 1.5975, 0.4634, 0.864, 0.4895, 5.7317, 0.6213],
  ["Qwen3-4B (Equalized/Sum)", 0.4456, 0.1615, 0.2308, 0.1333, 0.4524, 1.715, 0.4878, 0.84, 0.4656, 5.3881, 0.5118],
  ["Qwen3-32B (Raw)", 0.1724, 0.151, 0.1538, 0, 0.4841, 1.83, 0.561, 0.792, 0.3128, 2.8079, 0.2852],
  ["Qwen3-14B (Raw)", 0.1924, 0.1417, 0.1667, 0.103, 0.5317, 1.7, 0.5854, 0.512, 0.3027, 3.4129, 0.3211],
  ["Qwen3-4B (Raw)", 0.1405, 0.0854, 0.0769, 0.0364, 0.4048, 1.74, 0.4878, 0.856, 0.2929, 2.2545, 0.2674],
  ["Gemini-2.5-Pro", 0.3468, 0.274, 0.4103, 0.1939, 0.4246, 1.59, 0.9024, 0.928, 0.4702, 5.7731, 0.5263],
  ["Gemini-2.5-Flash", 0.2553, 0.1958, 0.3205, 0.1212, 0.4087, 1.685, 0.6341, 0.928, 0.3973, 4.2465, 0.4525],
  ["GPT-4o", 0.3643, 0.2917, 0.2821, 0.0303, 0.377, 1.8975, 0.8537, 0.88, 0.4449, 3.4087, 0.4024],
  ["GPT-4o-mini", 0.0976, 0.0906, 0.1538, 0.2061, 0.5317, 0.25, 0.0488, 0.352, 0.1729, 1.9461, 0.1614],
];

export const PAPER_ROWS: readonly PaperRow[] = ROWS.map(([model, ...v]) => ({
  model,
  scores: Object.fromEntries(PAPER_GYMS.map((g, i) => [g, v[i]])) as Record<PaperGym, number>,
  avg: v[8],
  effectiveTurns: v[9],
  timeWeighted: v[10],
}));
