import { CodedError } from '../controller/coded-error.js';
/** Stable codes for failures of a local control plane. */
export type ControlPlaneErrorCode =
  | 'CERTIFICATES_FAILED'
  | 'PROCESS_EXITED'
  | 'START_TIMEOUT'
  | 'CRD_REJECTED'
  | 'CRD_NOT_ESTABLISHED'
  | 'TOKEN_REQUEST_FAILED';

/** A failure to start, use or stop a local etcd + kube-apiserver; `code` is stable, the message is for people. */
export class ControlPlaneError extends CodedError<ControlPlaneErrorCode> {}
