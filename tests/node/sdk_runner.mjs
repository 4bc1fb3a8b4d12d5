// Runs management calls of the official Descope Node SDK (@descope/node-sdk, pinned in package.json)
// against a base URL, for tests/node/test_node_sdk_contract.py.
//
// stdin:  {"baseUrl", "projectId", "managementKey", "calls": [{"call": "tenant.create", "args": [...]}]}
//         An argument {"$undefined": true} is passed as `undefined` (an omitted optional argument).
// stdout: one JSON array, one entry per call: {"ok", "code", "data"?, "error"?} as the SDK answered
//         (its SdkResponse without the raw fetch Response), or {"thrown": message} if the call threw.
// The calls run in order, each after the previous one has settled.
import DescopeClient from '@descope/node-sdk';

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const decodeArg = (value) => {
  if (value && typeof value === 'object' && !Array.isArray(value) && value.$undefined === true) {
    return undefined;
  }
  return value;
};

const resolveCall = (management, path) => {
  const parts = path.split('.');
  const method = parts.pop();
  let owner = management;
  for (const part of parts) {
    owner = owner?.[part];
  }
  if (typeof owner?.[method] !== 'function') {
    throw new Error(`the Node SDK has no management call '${path}'`);
  }
  return owner[method].bind(owner);
};

const main = async () => {
  const input = await readStdin();
  const client = DescopeClient({
    projectId: input.projectId,
    managementKey: input.managementKey,
    baseUrl: input.baseUrl,
    logger: { log() {}, debug() {}, warn() {}, error() {} },
  });
  const results = [];
  for (const { call, args = [] } of input.calls) {
    try {
      const fn = resolveCall(client.management, call);
      const answer = await fn(...args.map(decodeArg));
      const { response, ...rest } = answer;
      results.push(rest);
    } catch (err) {
      results.push({ thrown: String(err?.message ?? err) });
    }
  }
  process.stdout.write(JSON.stringify(results));
};

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
