/**
 * The one TensorFlow.js entry point of core. `@tensorflow/tfjs-core` alone registers no
 * gradients (the `@tensorflow/tfjs` bundle does that, and we do not ship it), so training
 * would fail with "gradient function not found". Importing tf from here guarantees they are
 * registered before any gradient is taken.
 *
 * `@tensorflow/tfjs-layers` (imported Keras models) registers the gradients too, but only in its
 * ES build: its Node (CommonJS) build, which the CLI loads, does not, so this import stays.
 * The chained ops (`tensor.flatten()`, ...) are registered here too: our code never uses them,
 * but `@tensorflow/tfjs-layers` (imported Keras models) does, and only the `@tensorflow/tfjs`
 * bundle, which we do not ship, would register them otherwise.
 *
 * Order matters in Node: there `@tensorflow/tfjs-core` resolves to its CommonJS build and the
 * gradient module to its ES build. The CommonJS core must load first so that its fully set-up
 * Tensor class is the one registered globally.
 */
export * from '@tensorflow/tfjs-core';

import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
