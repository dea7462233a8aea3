// Preloaded into the gateway by the soak run (`node --expose-gc --import <this file> cli.js …`), so that the run
// can ask for a full garbage collection (SIGUSR2) before its last RSS reading without the gateway exposing one.
// An idle Node process rarely collects by itself: without this, RSS after the load shows the heap's high-water
// mark, not what is still live.

process.on('SIGUSR2', () => {
  globalThis.gc?.();
});
