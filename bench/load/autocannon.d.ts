/** The part of autocannon's programmatic API the bench uses (the package ships no types). */
declare module 'autocannon' {
  interface AutocannonOptions {
    url: string;
    connections: number;
    duration: number;
    pipelining?: number;
    method?: string;
    body?: string;
    headers?: Record<string, string>;
  }
  interface AutocannonHistogram {
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  }
  interface AutocannonResult {
    latency: AutocannonHistogram;
    requests: { average: number; total: number };
    errors: number;
    non2xx: number;
    duration: number;
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
