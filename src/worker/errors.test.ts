import { describe, expect, it } from 'vitest';
import { IngestError } from '../core/data/types';
import { decodeError, encodeError, isCancelled, LensError } from './errors';

/** What Comlink does to a thrown Error: keeps message, name and stack, nothing else. */
function throughComlink(error: Error): Error {
  return Object.assign(new Error(error.message), {
    message: error.message,
    name: error.name,
    stack: error.stack,
  });
}

describe('errors across the worker boundary', () => {
  it('keeps the IngestError code and message through Comlink serialisation', () => {
    const received = throughComlink(encodeError(new IngestError('Not a table.', 'not-a-table')));
    const decoded = decodeError(received);
    expect(decoded).toBeInstanceOf(LensError);
    expect(decoded.code).toBe('not-a-table');
    expect(decoded.message).toBe('Not a table.');
  });

  it('tells a cancelled load from a failure', () => {
    const cancelled = throughComlink(encodeError(new IngestError('Stopped.', 'cancelled')));
    expect(isCancelled(cancelled)).toBe(true);
    expect(isCancelled(throughComlink(encodeError(new Error('disk on fire'))))).toBe(false);
    expect(isCancelled(new IngestError('Stopped.', 'cancelled'))).toBe(true);
  });

  it('maps backend errors and unknown throws to their codes', () => {
    const backend = Object.assign(new Error('Cannot use the webgpu backend: no WebGPU'), {
      name: 'BackendError',
    });
    expect(decodeError(throughComlink(encodeError(backend))).code).toBe('backend-unavailable');
    const unexplainable = Object.assign(new Error('Every item is in this history.'), {
      name: 'ExplainError',
    });
    expect(decodeError(throughComlink(encodeError(unexplainable))).code).toBe('not-explainable');
    const odd = decodeError(throughComlink(encodeError('a string was thrown')));
    expect(odd.code).toBe('internal');
    expect(odd.message).toBe('a string was thrown');
  });

  it('does not encode twice', () => {
    const once = encodeError(new LensError('no-dataset', 'Nothing loaded.'));
    expect(encodeError(once).message).toBe('[no-dataset] Nothing loaded.');
  });
});
