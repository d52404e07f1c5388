/**
 * The edits of a Keras layer's config the foreign fuzz makes (see ./foreignTfjsJson.ts):
 * activations, sizes, names, inbound nodes, model inputs and outputs, layer order.
 */
import type { SeededRandom } from '../random';
import { asObject, literal } from './foreignMutate';
import { DEEP, type Json } from './generators';

/** Edits one of `layers` (the layer objects of the topology in `json`). */
export function mutateLayerConfig(json: Json, layers: Json[], rng: SeededRandom): void {
  if (layers.length === 0) return;
  const layer = rng.pick(layers);
  const config = asObject(layer.config);
  switch (rng.int(0, 9)) {
    case 0:
      if (config)
        config.activation = rng.pick<Json>([
          'softmax',
          'relu',
          'gelu',
          'swish',
          'nope',
          '',
          null,
          7,
        ]);
      return;
    case 1:
      if (config) config.mask_zero = rng.pick<Json>([true, false, null, 'yes', 1]);
      return;
    case 2:
      if (config) config.return_sequences = rng.pick<Json>([true, false, 'true', null]);
      return;
    case 3:
      if (config) config.dtype = rng.pick<Json>(['float16', 'int32', 'string', 'bool', 'x', null]);
      return;
    case 4: {
      // An initializer TF.js does not know, or one it does with odd settings.
      if (!config) return;
      const key =
        Object.keys(config).find((k) => k.endsWith('_initializer')) ?? 'kernel_initializer';
      config[key] = rng.pick<Json>([
        { class_name: 'Unknown', config: {} },
        { class_name: 'GlorotUniform', config: { seed: null } },
        { class_name: 'RandomNormal', config: { mean: literal('NaN'), stddev: 1 } },
        { class_name: 'Constant', config: { value: literal('1e999') } },
        'zeros',
        null,
        7,
      ]);
      return;
    }
    case 5:
      // Inbound nodes naming a missing layer, the layer itself, or a bad index.
      layer.inbound_nodes = rng.pick<Json>([
        [[['nowhere', 0, 0, {}]]],
        [[[layer.name, 0, 0, {}]]],
        [[[layers[0]?.name ?? 'x', 5, 3, {}]]],
        [],
        [[]],
        'x',
        null,
      ]);
      return;
    case 6:
      layer.name = rng.pick<Json>([layers[0]?.name ?? 'x', '', '__proto__', null, 7]);
      if (config) config.name = layer.name;
      return;
    case 7: {
      const topology = asObject(json.modelTopology);
      const model = asObject(asObject(topology?.model_config) ?? topology);
      const cfg = asObject(model?.config);
      if (!cfg) return;
      const key = rng.pick(['input_layers', 'output_layers']);
      cfg[key] = rng.pick<Json>([
        [],
        [['nowhere', 0, 0]],
        [
          [layers[0]?.name ?? 'x', 0, 0],
          [layers[0]?.name ?? 'x', 0, 0],
        ],
        null,
        'x',
      ]);
      return;
    }
    case 8: {
      // Layers dropped, doubled or reordered.
      const topology = asObject(json.modelTopology);
      const list = asObject(asObject(asObject(topology?.model_config) ?? topology)?.config)?.layers;
      if (!Array.isArray(list) || list.length === 0) return;
      const at = rng.int(0, list.length - 1);
      if (rng.chance(0.4)) list.splice(at, 1);
      else if (rng.chance(0.5)) list.splice(at, 0, JSON.parse(JSON.stringify(list[at])));
      else list.reverse();
      return;
    }
    default:
      layer.config = rng.pick<Json>([null, {}, [], 'config', DEEP]);
      return;
  }
}
