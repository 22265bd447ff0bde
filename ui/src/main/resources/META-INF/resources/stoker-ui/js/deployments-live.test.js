import { changesDeployments } from './deployments-live.js';
import { test, equal } from './test-kit.js';

test("the server's verdict on one of the project's deployments is read, another project's is not", () => {
  const verdict = { type: 'deployment', project: 'shop', target: 'staging', version: '2', verdict: 'bad',
    run: 'shop-deploy-staging-3', rollback: { deployment: 4, version: '1', run: 'shop-deploy-staging-4' } };
  equal(changesDeployments('shop', verdict), true, 'its own');
  equal(changesDeployments('shop', { ...verdict, project: 'shopping' }), false, "another project's");
});

test("a deployment run's queue, start and end are read; other runs and tasks are not; a reconnect is", () => {
  const run = { type: 'run', project: 'shop', job: 'deploy-staging', run: 'shop-deploy-staging-3', status: 'running' };
  equal(changesDeployments('shop', run), true, 'a deployment run');
  equal(changesDeployments('shop', { ...run, job: 'build' }), false, 'a build');
  equal(changesDeployments('shop', { ...run, type: 'task', task: 'deploy' }), false, 'its task');
  equal(changesDeployments('shop', { type: 'reconnected' }), true, 'the stream back');
});
