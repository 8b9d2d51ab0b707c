// The ManagerApi contract suite against HttpManagerApi talking to the emulator over HTTP.
import { setTimeout as delay } from 'node:timers/promises';
import { startEmulator } from '../../../src/emulator/index.js';
import { StaticTokenAuth } from '../../../src/manager/auth/static-token-auth.js';
import { HttpManagerApi } from '../../../src/manager/http-manager-api.js';
import { describeManagerApiContract } from '../../support/manager-api-contract.js';
import { EmulatorAdmin } from '../../support/emulator-admin.js';

describeManagerApiContract('HttpManagerApi + emulator', async () => {
  const token = 'contract-token';
  const emulator = await startEmulator({ tokens: [token], transitionMs: 40, seed: 7 });
  const admin = new EmulatorAdmin(emulator.origin, token);
  return {
    api: new HttpManagerApi({ baseUrl: emulator.url, auth: new StaticTokenAuth(token) }),
    pause: () => delay(10),
    holdTransitions: () => admin.setConfig({ transitionMs: 3_600_000 }),
    close: () => emulator.close(),
  };
});
