import autocannon from 'autocannon';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** A benchmark: runs its measurements and returns figures, each beside the baseline it is judged against. */
export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<Array<{ subject: Figure[]; baseline: Figure[]; label: string }>>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Answers with a 2xx status, in all. */
  ok: number;
}

/**
 * Drives `url` with `connections` concurrent clients for `seconds` seconds (loopback only). With
 * `post`, each request is a POST whose headers and body `post` makes (a new one every time).
 */
export async function load(
  url: string,
  options: {
    connections?: number;
    seconds?: number;
    headers?: Record<string, string>;
    post?: () => { headers: Record<string, string>; body: string };
  } = {},
): Promise<LoadResult> {
  const post = options.post;
  const result = await autocannon({
    url,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 5,
    headers: options.headers,
    requests: post
      ? [
          {
            method: 'POST',
            setupRequest: (req) => {
              const next = post();
              return { ...req, headers: { ...req.headers, ...next.headers }, body: next.body };
            },
          },
        ]
      : undefined,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ok: result['2xx'],
  };
}

export function loadFigures(prefix: string, r: LoadResult): Figure[] {
  return [
    { name: `${prefix} throughput`, value: r.requestsPerSecond, unit: 'req/s' },
    { name: `${prefix} p50`, value: r.p50Ms, unit: 'ms' },
    { name: `${prefix} p99`, value: r.p99Ms, unit: 'ms' },
  ];
}
