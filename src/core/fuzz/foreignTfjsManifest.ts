/**
 * The edits of a TF.js model.json's weights manifest the foreign fuzz makes (see
 * ./foreignTfjsJson.ts): weight shapes, dtypes, quantisation, names, paths and groups.
 */
import type { SeededRandom } from '../random';
import { asObject, literal, objectsIn } from './foreignMutate';
import type { Json } from './generators';

function manifestGroups(json: Json): Json[] {
  return objectsIn(json?.weightsManifest);
}

export function weightSpecs(json: Json): Json[] {
  return manifestGroups(json).flatMap((g) => objectsIn(g.weights));
}

export type ManifestMutation = 'spec-shape' | 'dtype' | 'quantization' | 'weight-name' | 'manifest';

/** Applies `kind` to the manifest of `json`, whose weight entries are `specs`. */
export function mutateManifest(
  json: Json,
  kind: ManifestMutation,
  rng: SeededRandom,
  specs: Json[],
): void {
  switch (kind) {
    case 'spec-shape': {
      if (specs.length === 0) return;
      const spec = rng.pick(specs);
      const shape: Json[] = Array.isArray(spec.shape) ? spec.shape : [];
      spec.shape = rng.pick<Json>([
        [...shape].reverse(),
        shape.map((d) => (typeof d === 'number' ? d + 1 : d)),
        [...shape, 1],
        shape.slice(1),
        [],
        [0],
        [1e9, 8],
        [2 ** 31, 2 ** 31],
        [-1, 8],
        [1.5, 8],
        [literal('NaN'), 8],
        [literal('1e999')],
        ['31', '8'],
        [1, 1, 1, 1, 1, 1, 1, 1, 1],
        null,
        '31,8',
        {},
      ]);
      return;
    }
    case 'dtype': {
      if (specs.length === 0) return;
      rng.pick(specs).dtype = rng.pick<Json>([
        'float32',
        'int32',
        'bool',
        'complex64',
        'string',
        'float16',
        'uint16',
        'uint8',
        'int64',
        'float64',
        'bfloat16',
        '',
        null,
        7,
        ['float32'],
      ]);
      return;
    }
    case 'quantization': {
      if (specs.length === 0) return;
      const spec = rng.pick(specs);
      const q = asObject(spec.quantization);
      if (q && rng.chance(0.6)) {
        const field = rng.pick(['dtype', 'scale', 'min', 'original_dtype']);
        if (field === 'dtype')
          q.dtype = rng.pick<Json>(['uint8', 'uint16', 'float16', 'int4', 'float32', null, 8]);
        else if (field === 'original_dtype')
          q.original_dtype = rng.pick<Json>(['int32', 'float32', 'bool', 'x']);
        else if (rng.chance(0.3)) delete q[field];
        else
          q[field] = rng.pick<Json>([
            0,
            -1,
            1e-45,
            1e38,
            1e308,
            literal('NaN'),
            literal('1e999'),
            '0.1',
            null,
          ]);
        return;
      }
      spec.quantization = rng.pick<Json>([
        { dtype: 'uint8', scale: 0.01, min: -1 },
        { dtype: 'uint8', scale: 1, min: 0 },
        { dtype: 'uint16', scale: 0.001, min: -1 },
        { dtype: 'uint16' },
        { dtype: 'float16' },
        { dtype: 'uint8' },
        { dtype: 'int4', scale: 1, min: 0 },
        { dtype: 'float16', scale: literal('NaN'), min: 0 },
        { dtype: 'uint8', scale: literal('1e999'), min: 0 },
        null,
        'uint8',
        {},
        [],
      ]);
      return;
    }
    case 'weight-name': {
      if (specs.length === 0) return;
      const spec = rng.pick(specs);
      const other = rng.pick(specs);
      spec.name = rng.pick<Json>([
        other.name,
        `${spec.name}_1`,
        String(spec.name).replace(/\/[^/]*$/, '/kernel'),
        String(spec.name).toUpperCase(),
        '',
        '__proto__',
        'constructor',
        ' ',
        'x',
        null,
        7,
      ]);
      return;
    }
    case 'manifest': {
      const groups = manifestGroups(json);
      const group = groups.length > 0 ? rng.pick(groups) : null;
      switch (rng.int(0, 11)) {
        case 0:
          if (group && Array.isArray(group.paths))
            group.paths.push(rng.pick(['extra.bin', group.paths[0]]));
          return;
        case 1:
          if (group && Array.isArray(group.paths))
            group.paths.splice(rng.int(0, group.paths.length - 1), 1);
          return;
        case 2:
          if (group && Array.isArray(group.paths)) group.paths.reverse();
          return;
        case 3:
          if (group)
            group.paths = rng.pick<Json>([
              [],
              [7],
              [null],
              'group1-shard1of1.bin',
              ['../../group1-shard1of1.bin'],
              ['C:\\weights\\group1-shard1of1.bin'],
              [''],
              null,
            ]);
          return;
        case 4: {
          // Split the first group's weights and shards into two groups (still valid when the
          // split falls on a shard boundary; usually it does not).
          if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return;
          const w = rng.int(0, group.weights.length);
          const p = rng.int(0, group.paths.length);
          json.weightsManifest.push({
            paths: group.paths.splice(p),
            weights: group.weights.splice(w),
          });
          return;
        }
        case 5:
          if (group && Array.isArray(group.weights) && group.weights.length > 0)
            group.weights.push({
              ...rng.pick(objectsIn(group.weights).length > 0 ? objectsIn(group.weights) : [{}]),
            });
          return;
        case 6:
          if (group && Array.isArray(group.weights) && group.weights.length > 0)
            group.weights.splice(rng.int(0, group.weights.length - 1), 1);
          return;
        case 7:
          if (group && Array.isArray(group.weights)) group.weights.reverse();
          return;
        case 8:
          if (Array.isArray(json.weightsManifest))
            json.weightsManifest.push(
              rng.pick<Json>([{ paths: [], weights: [] }, {}, null, 'x', group]),
            );
          return;
        case 9:
          json.weightsManifest = rng.pick<Json>([[], {}, null, 'weights.bin', [[]], 7]);
          return;
        case 10:
          delete json.weightsManifest;
          return;
        default:
          if (group) group.weights = rng.pick<Json>([[], {}, null, [null], ['x'], [{}]]);
          return;
      }
    }
  }
}
