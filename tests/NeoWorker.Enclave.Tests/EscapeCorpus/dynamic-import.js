// family: dynamic import() and module loading
// expect: Succeeded
async function main() {
  const specifiers = ['fs', 'node:fs', 'child_process', 'node:child_process', 'process', 'module', 'worker_threads',
    '/etc/passwd', 'file:///proc/self/environ', './src/index.js', '../node_modules/isolated-vm/isolated-vm.js',
    'data:text/javascript,export default globalThis.process', 'isolated-vm'];
  for (const specifier of specifiers) {
    await probeAsync('import(' + specifier + ')', () => import(specifier));
    await probeAsync('Function import(' + specifier + ')', () => Function('s', 'return import(s)')(specifier));
    await probeAsync('eval import(' + specifier + ')', () => (0, eval)('import(' + JSON.stringify(specifier) + ')'));
  }
  probe('import.meta', () => (0, eval)('import.meta'));
  probe('require', () => (0, eval)('typeof require === "undefined" ? undefined : require'));
  probe('module.require', () => (0, eval)('typeof module === "undefined" ? undefined : module.require'));
  return report;
}
