import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { generateCertificates, readPem, type ControlPlaneCertificates } from './certificates.js';
import { ControlPlaneError } from './control-plane-error.js';
import { cleanupOnExit } from './exit-cleanup.js';
import { freePorts } from './free-port.js';
import { probeStatus, type ProbeTls } from './http-probe.js';
import { installCrds } from './install-crds.js';
import { kubeconfigYaml } from './kubeconfig-yaml.js';
import { LocalProcess } from './local-process.js';
import { pollUntil } from './poll-until.js';

/** Options for {@link ControlPlane.start}. */
export interface ControlPlaneOptions {
  /** Path of the kube-apiserver binary. */
  kubeApiserverPath: string;
  /** Path of the etcd binary. */
  etcdPath: string;
  /** Budget for etcd + apiserver to become usable, in milliseconds; default 60 000 (first start on 2 cores is slow). */
  startTimeoutMs?: number;
  /** Grace period per process between SIGTERM and SIGKILL, in milliseconds; default 10 000. */
  stopTimeoutMs?: number;
  /** Parent of the temporary working directory; default the OS temp dir. */
  baseDir?: string;
  /** CRD manifests installed (and awaited until Established) before `start` resolves; default none. */
  crdPaths?: readonly string[];
  /** Extra kube-apiserver flags appended to the defaults; default none. */
  extraApiserverArgs?: readonly string[];
}

interface Running {
  dir: string;
  forgetDir: () => void;
  etcd: LocalProcess | undefined;
  apiserver: LocalProcess | undefined;
}

/** A throwaway etcd + kube-apiserver on free loopback ports, as controller-runtime's envtest runs them. */
export class ControlPlane {
  /** API server URL, e.g. `https://127.0.0.1:41234`. */
  readonly server: string;
  /** Temporary directory holding certificates, data, logs and the kubeconfig; removed by `stop`. */
  readonly dir: string;
  /** Path of the admin kubeconfig (CN admin, O system:masters). */
  readonly kubeconfigPath: string;
  /** The admin kubeconfig as YAML. */
  readonly kubeconfig: string;
  readonly #running: Running;
  readonly #stopTimeoutMs: number;
  #stopping: Promise<void> | undefined;

  private constructor(fields: { server: string; kubeconfigPath: string; kubeconfig: string }, running: Running, stopTimeoutMs: number) {
    this.server = fields.server;
    this.dir = running.dir;
    this.kubeconfigPath = fields.kubeconfigPath;
    this.kubeconfig = fields.kubeconfig;
    this.#running = running;
    this.#stopTimeoutMs = stopTimeoutMs;
  }

  /** Starts etcd and kube-apiserver, waits for health and the `default` namespace, then installs `crdPaths`. */
  static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const startTimeoutMs = options.startTimeoutMs ?? 60_000;
    const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    const deadline = Date.now() + startTimeoutMs;
    const dir = await mkdtemp(join(options.baseDir ?? tmpdir(), 'imply-operator-kube-'));
    // Registered before the processes start, so on exit (cleanups run last-first) they die before the directory goes.
    const forgetDir = cleanupOnExit(() => rmSync(dir, { recursive: true, force: true }));
    const running: Running = { dir, forgetDir, etcd: undefined, apiserver: undefined };
    try {
      const pki = join(dir, 'pki');
      await mkdir(pki);
      const certificates = await generateCertificates({ dir: pki });
      const [etcdClientPort, etcdPeerPort, apiserverPort] = await freePorts(3);
      const etcdUrl = `http://127.0.0.1:${String(etcdClientPort)}`;
      const server = `https://127.0.0.1:${String(apiserverPort)}`;
      running.etcd = LocalProcess.start({
        name: 'etcd',
        command: options.etcdPath,
        args: etcdArgs({ dir, etcdUrl, peerUrl: `http://127.0.0.1:${String(etcdPeerPort)}` }),
        logPath: join(dir, 'etcd.log'),
      });
      await waitFor('etcd', running.etcd, () => probeStatus(`${etcdUrl}/health`), deadline);
      running.apiserver = LocalProcess.start({
        name: 'kube-apiserver',
        command: options.kubeApiserverPath,
        args: [...apiserverArgs({ dir, etcdUrl, server, port: apiserverPort ?? 0, certificates }), ...(options.extraApiserverArgs ?? [])],
        logPath: join(dir, 'kube-apiserver.log'),
      });
      const [ca, cert, key] = await Promise.all([certificates.caCert, certificates.adminCert, certificates.adminKey].map(readPem));
      const tls: ProbeTls = { ca: ca ?? '', cert: cert ?? '', key: key ?? '' };
      await waitFor('kube-apiserver', running.apiserver, () => probeStatus(`${server}/healthz`, { tls }), deadline);
      await waitFor('default namespace', running.apiserver, () => probeStatus(`${server}/api/v1/namespaces/default`, { tls }), deadline);
      const kubeconfig = kubeconfigYaml({ server, caPem: tls.ca, credentials: { clientCertificatePem: tls.cert ?? '', clientKeyPem: tls.key ?? '' } });
      const kubeconfigPath = join(dir, 'kubeconfig');
      await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
      const plane = new ControlPlane({ server, kubeconfigPath, kubeconfig }, running, stopTimeoutMs);
      if (options.crdPaths !== undefined && options.crdPaths.length > 0) {
        await installCrds(plane.kubeConfig(), { paths: options.crdPaths, timeoutMs: Math.max(deadline - Date.now(), 10_000) });
      }
      return plane;
    } catch (error) {
      await stopRunning(running, stopTimeoutMs);
      throw error;
    }
  }

  /** A fresh client configuration for the admin user. */
  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromString(this.kubeconfig);
    return config;
  }

  /** Stops kube-apiserver then etcd (SIGTERM, SIGKILL after the grace period) and removes the directory; idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= stopRunning(this.#running, this.#stopTimeoutMs);
    return this.#stopping;
  }
}

async function stopRunning(running: Running, graceMs: number): Promise<void> {
  await running.apiserver?.stop(graceMs);
  await running.etcd?.stop(graceMs);
  await rm(running.dir, { recursive: true, force: true });
  running.forgetDir();
}

async function waitFor(what: string, child: LocalProcess, probe: () => Promise<number | undefined>, deadline: number): Promise<void> {
  const status = await pollUntil(
    async () => {
      if (child.hasExited) {
        throw new ControlPlaneError('PROCESS_EXITED', `exited while waiting for ${what}:\n${child.recentOutput}`);
      }
      return (await probe()) === 200 ? 200 : undefined;
    },
    { timeoutMs: Math.max(deadline - Date.now(), 0), intervalMs: 200 },
  );
  if (status === undefined) {
    throw new ControlPlaneError('START_TIMEOUT', `timed out waiting for ${what}:\n${child.recentOutput}`);
  }
}

function etcdArgs(options: { dir: string; etcdUrl: string; peerUrl: string }): string[] {
  return [
    `--data-dir=${join(options.dir, 'etcd')}`,
    `--listen-client-urls=${options.etcdUrl}`,
    `--advertise-client-urls=${options.etcdUrl}`,
    `--listen-peer-urls=${options.peerUrl}`,
    `--initial-advertise-peer-urls=${options.peerUrl}`,
    `--initial-cluster=default=${options.peerUrl}`,
    '--unsafe-no-fsync=true',
  ];
}

function apiserverArgs(options: { dir: string; etcdUrl: string; server: string; port: number; certificates: ControlPlaneCertificates }): string[] {
  const { certificates } = options;
  return [
    `--etcd-servers=${options.etcdUrl}`,
    `--secure-port=${String(options.port)}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // A loopback advertise address is only valid without the endpoint reconciler, which nothing here needs.
    '--endpoint-reconciler-type=none',
    `--cert-dir=${join(options.dir, 'apiserver-certs')}`,
    `--tls-cert-file=${certificates.servingCert}`,
    `--tls-private-key-file=${certificates.servingKey}`,
    `--client-ca-file=${certificates.caCert}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--disable-admission-plugins=ServiceAccount',
    '--authorization-mode=RBAC',
    `--service-account-issuer=${options.server}/`,
    `--service-account-key-file=${certificates.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${certificates.serviceAccountKey}`,
  ];
}
