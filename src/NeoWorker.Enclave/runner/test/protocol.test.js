'use strict';

const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const { Writable } = require('node:stream');
const protocol = require('../src/protocol');

function collectLines(options) {
  const lines = [];
  let oversize = 0;
  const reader = new protocol.LineReader((line) => lines.push(line), {
    ...options,
    onOversize: () => { oversize++; },
  });
  return { reader, lines, oversize: () => oversize };
}

describe('LineReader', () => {
  test('splits lines across and within chunks', () => {
    const { reader, lines } = collectLines();
    reader.push(Buffer.from('{"a":1}\n{"b"'));
    reader.push(Buffer.from(':2}\n\n{"c":3}\r\n'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });

  test('keeps a multi-byte character split between chunks intact', () => {
    const { reader, lines } = collectLines();
    const bytes = Buffer.from('"héllo €"\n');
    reader.push(bytes.subarray(0, 3)); // ends inside "é"
    reader.push(bytes.subarray(3, 9)); // ends inside "€"
    reader.push(bytes.subarray(9));
    assert.deepEqual(lines, ['"héllo €"']);
  });

  test('emits a final line without newline at end of input', () => {
    const { reader, lines } = collectLines();
    reader.push('{"a":1}\n{"b":2}');
    assert.deepEqual(lines, ['{"a":1}']);
    reader.end();
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  });

  test('discards an oversized line and carries on with the next', () => {
    const { reader, lines, oversize } = collectLines({ maxLineBytes: 10 });
    reader.push('0123456789');
    reader.push('0123456789\nshort\n');
    assert.equal(oversize(), 1);
    assert.deepEqual(lines, ['short']);
  });
});

describe('parseRequest', () => {
  test('parses an execute request and fills in default limits', () => {
    const request = protocol.parseRequest(JSON.stringify({
      type: 'execute', id: 'j1', code: 'function main() {}', input: '{"a":1}', secrets: null, limits: { timeoutMs: 5000 },
    }));
    assert.deepEqual(request, {
      kind: 'execute',
      id: 'j1',
      job: {
        code: 'function main() {}',
        input: '{"a":1}',
        secrets: null,
        sealedSecrets: null,
        namedSecrets: null,
        userId: null,
        functionId: null,
        limits: {
          timeoutMs: 5000, memoryMb: 128, maxResultBytes: 1048576, maxLogBytes: 65536,
          maxCodeBytes: 262144, maxInputBytes: 1048576, maxSecretsBytes: 65536,
        },
      },
    });
  });

  test('passes sealed secrets and their binding on, and drops ill-typed ones', () => {
    const request = protocol.parseRequest(JSON.stringify({
      type: 'execute', id: 'j2', code: 'x', sealedSecrets: '{"v":1}', namedSecrets: { a: 'e' }, userId: 'u', functionId: 'f',
    }));
    assert.equal(request.job.sealedSecrets, '{"v":1}');
    assert.deepEqual(request.job.namedSecrets, { a: 'e' });
    assert.equal(request.job.userId, 'u');
    assert.equal(request.job.functionId, 'f');

    const odd = protocol.parseRequest(JSON.stringify({ type: 'execute', id: 'j3', code: 'x', sealedSecrets: 5, namedSecrets: ['e'] }));
    assert.equal(odd.job.sealedSecrets, null);
    assert.equal(odd.job.namedSecrets, null);
  });

  test('treats missing input, secrets and limits as null and defaults', () => {
    const request = protocol.parseRequest('{"type":"execute","id":"j","code":""}');
    assert.equal(request.kind, 'execute');
    assert.equal(request.job.input, null);
    assert.equal(request.job.secrets, null);
    assert.deepEqual(request.job.limits, protocol.DEFAULT_LIMITS);
  });

  test('parses ping', () => {
    assert.deepEqual(protocol.parseRequest('{"type":"ping","id":"x"}'), { kind: 'ping', id: 'x' });
  });

  test('parses a cancel request', () => {
    assert.deepEqual(protocol.parseRequest('{"type":"cancel","id":"j1"}'), { kind: 'cancel', id: 'j1' });
  });

  test('ignores blank lines', () => {
    assert.deepEqual(protocol.parseRequest('   '), { kind: 'blank' });
  });

  test('rejects malformed requests without quoting them', () => {
    const cases = [
      ['{"type":"execute","code":"x","secret":"s3cr3t"', null],
      ['[1,2]', null],
      ['"just a string"', null],
      ['{"type":"execute","code":"x"}', null],
      ['{"type":"execute","id":"","code":"x"}', null],
      ['{"type":"execute","id":"a"}', 'a'],
      ['{"type":"execute","id":"a","code":42}', 'a'],
      ['{"type":"run","id":"a","code":"x"}', 'a'],
      ['{"id":"a","code":"x"}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":[]}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"timeoutMs":0}}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"timeoutMs":2147483648}}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"memoryMb":1.5}}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"maxLogBytes":-1}}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"maxResultBytes":"10"}}', 'a'],
      ['{"type":"execute","id":"a","code":"x","limits":{"maxCodeBytes":0}}', 'a'],
      ['{"type":"cancel"}', null],
      ['{"type":"cancel","id":""}', null],
      ['{"type":"cancel","id":7}', null],
    ];
    for (const [line, id] of cases) {
      const request = protocol.parseRequest(line);
      assert.equal(request.kind, 'invalid', line);
      assert.equal(request.id, id, line);
      assert.equal(typeof request.error, 'string');
      assert.doesNotMatch(request.error, /s3cr3t/);
    }
  });

  test('accepts null limit fields and zero byte limits', () => {
    const request = protocol.parseRequest(
      '{"type":"execute","id":"a","code":"x","limits":{"timeoutMs":null,"maxLogBytes":0}}',
    );
    assert.equal(request.job.limits.timeoutMs, 30000);
    assert.equal(request.job.limits.maxLogBytes, 0);
  });
});

describe('messages', () => {
  test('result messages carry every field in a fixed order', () => {
    const message = protocol.resultMessage('j', {
      gasUsed: 5, executionTimeMs: 1, logsTruncated: false, logs: '', error: null, errorCode: null, result: '1', status: 'Succeeded',
    });
    assert.equal(
      JSON.stringify(message),
      '{"type":"result","id":"j","status":"Succeeded","result":"1","errorCode":null,"error":null,"logs":"","logsTruncated":false,"executionTimeMs":1,"gasUsed":5,"ending":false,"proof":null}',
    );
  });

  test('a result message says whether the runner ends after it', () => {
    const base = { status: 'Failed', result: null, errorCode: 'MemoryLimit', error: 'x', logs: '', logsTruncated: false, executionTimeMs: 1, gasUsed: 2 };
    assert.equal(protocol.resultMessage('j', { ...base, fatal: true }).ending, true);
    assert.equal(protocol.resultMessage('j', base).ending, false);
  });

  test('a result message carries its proof last', () => {
    const message = protocol.resultMessage('j', {
      status: 'Failed', result: null, errorCode: 'ScriptError', error: 'x', logs: '', logsTruncated: false, executionTimeMs: 1, gasUsed: 2,
    }, { statement: '{}', signature: 'AA==' });
    assert.equal(Object.keys(message).at(-1), 'proof');
    assert.deepEqual(message.proof, { statement: '{}', signature: 'AA==' });
  });

  test('ready, error and pong messages', () => {
    assert.equal(
      JSON.stringify(protocol.readyMessage({ pid: 7, node: 'v20.0.0', isolatedVm: '5.0.4' })),
      '{"type":"ready","protocol":1,"pid":7,"node":"v20.0.0","isolatedVm":"5.0.4","attestation":null}',
    );
    const attestation = { enclavePublicKey: 'BA==', enclaveKeyId: '00', evidenceType: 'sgx-dcap-quote-v3', evidence: 'AA==', simulated: true, mrenclave: 'ff' };
    assert.deepEqual(
      Object.keys(protocol.readyMessage({ pid: 7, node: 'v20.0.0', isolatedVm: '5.0.4', attestation })),
      ['type', 'protocol', 'pid', 'node', 'isolatedVm', 'attestation'],
    );
    assert.equal(
      JSON.stringify(protocol.protocolErrorMessage(null, 'bad')),
      '{"type":"error","id":null,"errorCode":"ProtocolError","error":"bad"}',
    );
    assert.equal(JSON.stringify(protocol.pongMessage('x')), '{"type":"pong","id":"x"}');
  });
});

describe('MessageWriter', () => {
  test('writes one line per message, each only after the previous one was flushed', async () => {
    const written = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const stream = new Writable({
      highWaterMark: 1,
      write(chunk, _encoding, callback) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        written.push(chunk.toString());
        setTimeout(() => { inFlight--; callback(); }, 5);
      },
    });
    const writer = new protocol.MessageWriter(stream);
    writer.send({ n: 1 });
    writer.send({ n: 2, text: 'a\nb' });
    await writer.send({ n: 3 });
    assert.deepEqual(written, ['{"n":1}\n', '{"n":2,"text":"a\\nb"}\n', '{"n":3}\n']);
    assert.equal(maxInFlight, 1);
  });

  test('reports a write error without rejecting', async () => {
    const errors = [];
    const stream = new Writable({ write(_chunk, _encoding, callback) { callback(new Error('EPIPE')); } });
    stream.on('error', () => {});
    const writer = new protocol.MessageWriter(stream, { onError: (error) => errors.push(error.message) });
    await writer.send({ n: 1 });
    assert.deepEqual(errors, ['EPIPE']);
  });
});
