/**
 * The one TensorFlow.js entry point of core. `@tensorflow/tfjs-core` alone registers no
 * gradients (the `@tensorflow/tfjs` bundle does that, and we do not ship it), so training
 * would fail with "gradient function not found". Importing tf from here guarantees they are
 * registered before any gradient is taken.
 *
 * Order matters in Node: there `@tensorflow/tfjs-core` resolves to its CommonJS build and the
 * gradient module to its ES build. The CommonJS core must load first so that its fully set-up
 * Tensor class is the one registered globally.
 */
export * from '@tensorflow/tfjs-core';

import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
