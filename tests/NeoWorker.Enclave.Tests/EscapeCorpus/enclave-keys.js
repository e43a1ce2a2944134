// family: the enclave's signing and sealing keys (files the runner holds; the key objects in the runner's own realm)
// expect: Succeeded
async function main() {
  const paths = ['/proc/self/environ', '/proc/self/cmdline', '/proc/self/maps', '/etc/neoworker/sealing-key.pem',
    '.local/secrets/sealing-key.pem', '.local/secrets/attestation/sim-pck-key.pem', '/run/secrets/sealing-key.pem'];
  for (const path of paths) {
    await probeAsync('import ' + path, () => import(path));
    await probeAsync('import file://' + path, () => import('file://' + path));
  }
  probe('PEM-looking strings anywhere', () => {
    const found = [];
    const seen = new Set();
    const visit = (value, depth) => {
      if (typeof value === 'string') { if (/BEGIN|PRIVATE|KEY/.test(value)) found.push(value); return; }
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 6) return;
      seen.add(value);
      for (const key of Reflect.ownKeys(value)) {
        const d = Reflect.getOwnPropertyDescriptor(value, key);
        if (d && 'value' in d) visit(d.value, depth + 1);
      }
    };
    visit(globalThis, 0);
    return found;
  });
  probe('crypto', () => typeof crypto);
  probe('SubtleCrypto', () => (0, eval)('typeof SubtleCrypto'));
  return report;
}
