// Public entry of the emulator: start it in-process, or build its OpenAPI document.
export { startEmulator, type EmulatorHandle, type EmulatorOptions } from './start-emulator.js';
export { openApiDocument, openApiText } from './openapi.js';
export type { FaultSpec, Fault, FaultKind } from './fault-injector.js';
export type { RequestCounts } from './request-counter.js';
export type { JournalEntry } from './request-journal.js';
export { defaultVersions } from './release-catalog.js';
export type { OAuthClient } from './token-authority.js';
