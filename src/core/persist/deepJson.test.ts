/**
 * Regression (found by the fuzz suite, src/core/fuzz): a model.json whose format version, model
 * id or weight dtype is a list nested 100,000 deep parses, and then `String(value)` for the
 * refusal's message overflowed the stack: "RangeError: Maximum call stack size exceeded"
 * escaped `decodeModel` instead of a ModelFileError.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import { decodeModel } from './decode';
import { craftModelFiles } from './testModelFiles';

const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

let files: { modelJson: string; weightsBin: Uint8Array };

beforeAll(async () => {
  await useBackend('wasm');
  files = craftModelFiles('gru', 10, { dim: 4 });
});

function refusal(modelJson: string): ModelFileError {
  try {
    decodeModel(modelJson, files.weightsBin);
  } catch (error) {
    if (error instanceof ModelFileError) return error;
    throw error;
  }
  throw new Error('expected a ModelFileError');
}

describe('deeply nested values where the file should have text or a number', () => {
  it.each([
    ['the format version', '"version":1', 'invalid-metadata', 'invalid format version (a list)'],
    ['the model id', '"modelId":"gru"', 'unknown-model', 'unknown model id "a list"'],
    ['a weight dtype', '"dtype":"float32"', 'unsupported-dtype', 'is of type a list'],
  ])('%s is refused with one sentence, not a stack overflow', (_, field, code, message) => {
    expect(files.modelJson).toContain(field);
    const json = files.modelJson.replace(field, `${field.split(':')[0]}:${deep}`);
    const error = refusal(json);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('an object in place of the model id is named, not "[object Object]"', () => {
    const error = refusal(files.modelJson.replace('"modelId":"gru"', '"modelId":{"a":1}'));
    expect(error.message).toMatch(/^The model file is for an unknown model id "an object"/);
  });
});
