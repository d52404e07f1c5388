/**
 * Cooperative yielding: the engine runs for hundreds of milliseconds of synchronous wasm work
 * split by awaits that resolve without ever returning to the event loop, so a worker would not
 * read a Cancel message (nor Node a Ctrl-C) until the explanation ended. `pause()` hands the
 * event loop one turn once `budgetMs` of work has passed since the last turn.
 */

/** Most engine work between two turns of the event loop. */
export const YIELD_BUDGET_MS = 20;

export function createYielder(budgetMs = YIELD_BUDGET_MS): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await nextTurn();
    since = performance.now();
  };
}

/**
 * Resolves after one turn of the event loop, once the messages already queued (a Cancel from
 * the page) have been handled. A message, not `setTimeout(0)`, which browsers clamp to 4 ms
 * once timers nest.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
