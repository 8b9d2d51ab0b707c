// Builds (or finds) kube-apiserver, etcd and kubectl for tests and `imply-operator dev`; see docs/control-plane.md.
import { ensureKubeBinaries, KubeBinariesError } from '../src/kube/binaries/kube-binaries.js';

try {
  const binaries = await ensureKubeBinaries();
  const origin =
    binaries.source === 'env'
      ? 'from KUBEBUILDER_ASSETS / TEST_ASSET_*'
      : `Kubernetes ${binaries.manifest?.kubernetes ?? '?'}, etcd ${binaries.manifest?.etcd ?? '?'}`;
  console.log(`kube-apiserver ${binaries.kubeApiserver}`);
  console.log(`etcd           ${binaries.etcd}`);
  console.log(`kubectl        ${binaries.kubectl}`);
  console.log(`(${origin})`);
} catch (error) {
  if (error instanceof KubeBinariesError) {
    console.error(`kube:bins failed [${error.code}]: ${error.message}`);
  } else {
    console.error('kube:bins failed', error);
  }
  process.exitCode = 1;
}
