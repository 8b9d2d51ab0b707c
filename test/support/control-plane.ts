// The harness lives in src/kube so `imply-operator dev` can reuse it; tests import it from here.
export { ControlPlane, type ControlPlaneOptions } from '../../src/kube/control-plane.js';
export { ControlPlaneError, type ControlPlaneErrorCode } from '../../src/kube/control-plane-error.js';
export { installCrds, type InstallCrdsOptions } from '../../src/kube/install-crds.js';
export {
  serviceAccountKubeConfig,
  type ServiceAccountKubeConfig,
  type ServiceAccountKubeConfigOptions,
} from '../../src/kube/service-account-kubeconfig.js';
export { pollUntil, type PollUntilOptions } from '../../src/kube/poll-until.js';
