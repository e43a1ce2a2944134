// family: memory outside the isolate's limit: resizable ArrayBuffer and growable SharedArrayBuffer
// expect: Succeeded
function main() {
  for (const Type of [ArrayBuffer, SharedArrayBuffer]) {
    probe(Type.name + ' with maxByteLength', () => {
      const buffer = new Type(512 * 1024 * 1024, { maxByteLength: 1024 * 1024 * 1024 });
      new Uint8Array(buffer).fill(1);
      return 'ESCAPED the memory limit with ' + buffer.byteLength + ' bytes';
    });
    probe(Type.name + ' grown', () => {
      const buffer = new Type(1, { maxByteLength: 1024 * 1024 * 1024 });
      (buffer.resize || buffer.grow).call(buffer, 512 * 1024 * 1024);
      new Uint8Array(buffer).fill(1);
      return 'ESCAPED the memory limit with ' + buffer.byteLength + ' bytes';
    });
  }
  return report;
}
