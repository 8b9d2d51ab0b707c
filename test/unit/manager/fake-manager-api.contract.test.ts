import { describeManagerApiContract } from '../../support/manager-api-contract.js';
import { FakeManagerApi } from '../../support/fake-manager-api.js';

// The fake settles a transition on its own after two reads, so the suite's polling is honest.
describeManagerApiContract('FakeManagerApi', async () => ({
  api: new FakeManagerApi({ settleAfterReads: 2 }),
  pause: async () => {},
  // Writes never settle the fake; only reads do.
  holdTransitions: async () => {},
  close: async () => {},
}));
