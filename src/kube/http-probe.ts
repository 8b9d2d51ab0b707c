import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** TLS material for probing an HTTPS endpoint, as PEM text. */
export interface ProbeTls {
  /** CA that signed the server certificate. */
  ca: string;
  /** Client certificate, if the endpoint needs one. */
  cert?: string;
  /** Client key matching `cert`. */
  key?: string;
}

/** Options for {@link probeStatus}. */
export interface ProbeStatusOptions {
  /** TLS material for `https:` URLs. */
  tls?: ProbeTls;
  /** Per-request timeout in milliseconds; default 2 000. */
  timeoutMs?: number;
}

/** GETs `url` and resolves with the HTTP status, or `undefined` when the server cannot be reached yet. */
export function probeStatus(url: string, options: ProbeStatusOptions = {}): Promise<number | undefined> {
  const isHttps = url.startsWith('https:');
  const request = isHttps ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: options.timeoutMs ?? 2_000, ...(isHttps ? options.tls : {}) }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
      res.once('error', () => resolve(undefined));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}
