// The subsidy test world lives in test/support so that other modules' tests can build on it.
export { POLICY, subsidyWorld } from '../../../../test/support/worlds.js';
