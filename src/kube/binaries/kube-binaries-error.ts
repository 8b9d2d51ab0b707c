/** Stable codes for failures while locating or building the control-plane binaries. */
export type KubeBinariesErrorCode =
  | 'GO_NOT_FOUND'
  | 'ASSET_MISSING'
  | 'NOT_BUILT'
  | 'BUILD_FAILED';

/** A failure to locate or build kube-apiserver, etcd or kubectl; `code` is stable, the message is for people. */
export class KubeBinariesError extends Error {
  /** Stable identifier of the failure. */
  readonly code: KubeBinariesErrorCode;

  constructor(code: KubeBinariesErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeBinariesError';
    this.code = code;
  }
}
