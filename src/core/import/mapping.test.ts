import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import type { LayersModelShape } from './layersModel';
import { checkCoverage, proposeMapping, resolveIds } from './mapping';
import { parseIdList, parseMapping } from './mappingFiles';

const embedding = (inputDim: number, layer = 'item_embedding') => ({
  layer,
  inputDim,
  outputDim: 8,
  maskZero: true,
});

const historyModel = (
  vocab: number,
  columns: number,
  length: number | null = 20,
): LayersModelShape => ({
  inputs: [{ name: 'items', shape: [length], embedding: embedding(vocab) }],
  output: [columns],
  layerCount: 3,
  parameters: 1,
});

describe('parseIdList', () => {
  it('keeps a leading empty line (model id 0, the padding id) and drops only the final break', () => {
    expect(parseIdList('\np1\np2\n', 'ids.txt')).toEqual(['', 'p1', 'p2']);
    expect(parseIdList('\uFEFFa\r\nb', 'ids.txt')).toEqual(['a', 'b']);
  });
  it('reads index,id rows (with a header, in any order) and JSON lists', () => {
    expect(parseIdList('index,item_id\n2,b\n1,a\n', 'map.csv')).toEqual(['', 'a', 'b']);
    expect(parseIdList('[null, "x", 7]', 'ids.json')).toEqual(['', 'x', '7']);
  });
  it('keeps quoted ids whole, skips blank lines and refuses an id given twice', () => {
    expect(parseIdList('0,\n1,"a,b"\n2,c\n\n', 'map.csv')).toEqual(['', 'a,b', 'c']);
    expect(() => parseIdList('1,a\n1,b', 'map.csv')).toThrow(
      /Line 2 of map.csv gives model id 1 a second time/,
    );
  });
  it('refuses a row without a model id, naming the line', () => {
    expect(() => parseIdList('index,id\n1,a\nb,c', 'map.csv')).toThrow(/Line 3 of map.csv/);
  });
});

describe('proposeMapping', () => {
  it('proposes a left-padded history with identity ids for integer item ids', () => {
    const { mapping, notes } = proposeMapping(historyModel(11, 11), ['1', '5', '10'], ['u']);
    expect(mapping).toMatchObject({
      kind: 'history',
      maxLen: 20,
      padding: 'left',
      padValue: 0,
      outputOffset: 0,
      items: { kind: 'identity' },
    });
    expect(notes.join(' ')).toMatch(/left-padded/);
  });
  it('shifts 0-based ids by one and reads an output without the padding column', () => {
    const { mapping } = proposeMapping(historyModel(11, 10), ['0', '4', '9'], ['u']);
    expect(mapping).toMatchObject({ items: { kind: 'offset', offset: 1 }, outputOffset: 1 });
  });
  it('asks for a mapping file when the dataset ids are not integers', () => {
    const { mapping, notes } = proposeMapping(historyModel(11, 11), ['p1', 'p2'], ['u']);
    expect(mapping.items).toEqual({ kind: 'list', ids: [] });
    expect(notes.join(' ')).toMatch(/mapping file/);
  });
  it('tells user and item inputs apart by name, else by table size', () => {
    const named: LayersModelShape = {
      inputs: [
        { name: 'item_id', shape: [1], embedding: embedding(50) },
        { name: 'user_id', shape: [1], embedding: embedding(9, 'user_embedding') },
      ],
      output: [1],
      layerCount: 6,
      parameters: 1,
    };
    expect(proposeMapping(named, ['1'], ['1']).mapping).toMatchObject({
      kind: 'ids',
      userInput: 'user_id',
      itemInput: 'item_id',
    });
    const unnamed: LayersModelShape = {
      ...named,
      inputs: [
        { name: 'a', shape: [1], embedding: embedding(9, 'e1') },
        { name: 'b', shape: [1], embedding: embedding(50, 'e2') },
      ],
    };
    const items = Array.from({ length: 49 }, (_, k) => String(k + 1));
    expect(proposeMapping(unnamed, items, ['1']).mapping).toMatchObject({
      itemInput: 'b',
      userInput: 'a',
    });
  });
  it('refuses, in one sentence, what is not a recommender', () => {
    const noEmbedding: LayersModelShape = {
      ...historyModel(5, 5),
      inputs: [{ name: 'x', shape: [4], embedding: null }],
    };
    expect(() => proposeMapping(noEmbedding, ['1'], ['u'])).toThrow(ModelFileError);
    const three: LayersModelShape = {
      ...historyModel(5, 5),
      inputs: Array(3).fill(historyModel(5, 5).inputs[0]),
    };
    expect(() => proposeMapping(three, ['1'], ['u'])).toThrow(/3 inputs/);
  });
});

describe('resolveIds and the sidecar', () => {
  it('resolves offsets and lists, never mapping onto the padding id', () => {
    const offset = resolveIds({ kind: 'offset', offset: 1 }, ['0', '3', 'x', '99'], 10, 0);
    expect(Array.from(offset.toModel)).toEqual([1, 4, -1, -1]);
    expect(offset).toMatchObject({ known: 2, unknown: 2 });
    const list = resolveIds({ kind: 'list', ids: ['a', 'b', 'c'] }, ['c', 'a', 'z'], 3, 0);
    expect(Array.from(list.toModel)).toEqual([2, -1, -1]);
    expect(() => checkCoverage(list, 3, 'item')).toThrow(/Only 1 of the dataset's 3 items/);
  });
  it('reads a sidecar with an id file and refuses a bad one', () => {
    const files = new Map([['ids.txt', ['', 'p1']]]);
    const m = parseMapping(
      JSON.stringify({
        kind: 'history',
        maxLen: 5,
        padding: 'right',
        items: { kind: 'file', file: 'ids.txt' },
      }),
      files,
    );
    expect(m).toMatchObject({
      kind: 'history',
      maxLen: 5,
      padding: 'right',
      items: { kind: 'list', ids: ['', 'p1'] },
    });
    expect(() => parseMapping('{"kind":"history","maxLen":0}')).toThrow(/maxLen/);
    expect(() => parseMapping('{"kind":"ids","items":{"kind":"file","file":"x"}}')).toThrow(
      /x, which was not given/,
    );
  });
});
