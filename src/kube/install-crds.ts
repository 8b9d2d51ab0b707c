import { readFile } from 'node:fs/promises';
import { ApiException, ApiextensionsV1Api, loadAllYaml, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { ControlPlaneError } from './control-plane-error.js';
import { pollUntil } from './poll-until.js';

/** Options for {@link installCrds}. */
export interface InstallCrdsOptions {
  /** YAML files holding CustomResourceDefinitions (several documents per file allowed). */
  paths: readonly string[];
  /** Budget for every CRD to report Established, in milliseconds; default 30 000. */
  timeoutMs?: number;
}

interface CrdFromFile {
  crd: V1CustomResourceDefinition;
  path: string;
}

// loadAllYaml deserializes into client-node's models (`_default`, `x_kubernetes_list_type`, …);
// plain parsed YAML would lose every default and x-kubernetes-* key on the way out.
async function crdsIn(path: string): Promise<CrdFromFile[]> {
  const documents = loadAllYaml(await readFile(path, 'utf8')) as (V1CustomResourceDefinition | null)[];
  return documents.filter((d): d is V1CustomResourceDefinition => d?.kind === 'CustomResourceDefinition').map((crd) => ({ crd, path }));
}

function statusMessageOf(error: ApiException<unknown>): string {
  try {
    const status = JSON.parse(String(error.body)) as { message?: string };
    return `HTTP ${String(error.code)}: ${status.message ?? String(error.body)}`;
  } catch {
    return `HTTP ${String(error.code)}: ${String(error.body)}`;
  }
}

async function apply(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<void> {
  const name = crd.metadata?.name ?? '';
  try {
    await api.createCustomResourceDefinition({ body: crd });
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 409) throw error;
    const current = await api.readCustomResourceDefinition({ name });
    const body = { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion } };
    await api.replaceCustomResourceDefinition({ name, body: body as V1CustomResourceDefinition });
  }
}

/** Creates or replaces the CRDs in `paths` and waits until each is Established; resolves with their names. */
export async function installCrds(config: KubeConfig, options: InstallCrdsOptions): Promise<string[]> {
  const api = config.makeApiClient(ApiextensionsV1Api);
  const crds = (await Promise.all(options.paths.map(crdsIn))).flat();
  for (const { crd, path } of crds) {
    try {
      await apply(api, crd);
    } catch (error) {
      const reason = error instanceof ApiException ? statusMessageOf(error) : String(error);
      const name = crd.metadata?.name ?? '?';
      throw new ControlPlaneError('CRD_REJECTED', `cannot install CustomResourceDefinition ${name} from ${path}: ${reason}`, { cause: error });
    }
  }
  const names = crds.map(({ crd }) => crd.metadata?.name ?? '');
  for (const name of names) {
    const established = await pollUntil(
      async () => {
        const crd = await api.readCustomResourceDefinition({ name });
        const condition = crd.status?.conditions?.find((candidate) => candidate.type === 'Established');
        return condition?.status === 'True' ? true : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 100 },
    );
    if (established === undefined) {
      throw new ControlPlaneError('CRD_NOT_ESTABLISHED', `CustomResourceDefinition ${name} did not become Established`);
    }
  }
  return names;
}
