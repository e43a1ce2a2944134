// family: memory outside the isolate's heap: ICU objects behind Intl, kept alive
// expect: Failed MemoryLimit
// timeoutMs: 20000
function main() {
  probe('Intl', () => Object.getOwnPropertyNames(Intl));
  checkpoint();
  const keep = [];
  for (let i = 0; ; i++) {
    keep.push(new Intl.Collator('en', { sensitivity: i % 2 ? 'base' : 'accent' }), new Intl.Segmenter('en'), new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }));
  }
}
