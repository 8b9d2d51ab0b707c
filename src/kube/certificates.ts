import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ControlPlaneError } from './control-plane-error.js';

const execFileAsync = promisify(execFile);

/** Paths of the PEM files a local control plane needs, all inside one directory. */
export interface ControlPlaneCertificates {
  /** CA certificate that signed the serving and client certificates. */
  caCert: string;
  /** CA private key. */
  caKey: string;
  /** Serving certificate for `localhost` and `127.0.0.1`. */
  servingCert: string;
  /** Serving private key. */
  servingKey: string;
  /** Admin client certificate (CN `admin`, O `system:masters`). */
  adminCert: string;
  /** Admin client private key. */
  adminKey: string;
  /** Private key that signs service-account tokens. */
  serviceAccountKey: string;
  /** Public half of `serviceAccountKey`. */
  serviceAccountPublicKey: string;
}

/** Options for {@link generateCertificates}. */
export interface GenerateCertificatesOptions {
  /** Directory that receives the PEM files; must exist. */
  dir: string;
  /** Certificate lifetime in days; default 7. */
  validityDays?: number;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'openssl is not installed or not on PATH (apt-get install openssl)'
        : `openssl ${args[0] ?? ''} failed`;
    throw new ControlPlaneError('CERTIFICATES_FAILED', message, { cause: error });
  }
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signLeaf(
  name: string,
  subject: string,
  extensions: string,
  options: { dir: string; days: string },
): Promise<void> {
  const { dir, days } = options;
  await openssl(['req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  await writeFile(join(dir, `${name}.ext`), extensions);
  const serial = `0x${randomBytes(16).toString('hex')}`;
  await openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial,
      '-days', days, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    dir,
  );
}

/** Generates a CA, a localhost serving certificate, an admin client certificate and service-account keys with the openssl CLI. */
export async function generateCertificates(options: GenerateCertificatesOptions): Promise<ControlPlaneCertificates> {
  const { dir } = options;
  const days = String(options.validityDays ?? 7);
  await openssl(
    ['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', days, '-sha256',
      '-subj', '/CN=imply-operator-local-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  const leafUsage = 'keyUsage=critical,digitalSignature,keyEncipherment\n';
  await signLeaf(
    'serving',
    '/CN=localhost',
    `${leafUsage}extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n`,
    { dir, days },
  );
  await signLeaf('admin', '/O=system:masters/CN=admin', `${leafUsage}extendedKeyUsage=clientAuth\n`, { dir, days });
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'serving.crt'),
    servingKey: join(dir, 'serving.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
  };
}

/** Reads a PEM file as text. */
export function readPem(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
