import { CodedError } from '../../controller/coded-error.js';
/** Stable codes for failures while locating or building the control-plane binaries. */
export type KubeBinariesErrorCode =
  | 'GO_NOT_FOUND'
  | 'ASSET_MISSING'
  | 'NOT_BUILT'
  | 'BUILD_FAILED';

/** A failure to locate or build kube-apiserver, etcd or kubectl; `code` is stable, the message is for people. */
export class KubeBinariesError extends CodedError<KubeBinariesErrorCode> {}
