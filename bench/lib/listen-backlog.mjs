// Preload (`node --import ./listen-backlog.mjs server.mjs`) that gives every server listening without an
// explicit backlog the one in LISTEN_BACKLOG (default 4096) instead of Node's 511. The headline run starts the
// mock upstream with it: 3,000 connections opened within 1.5 s overflow a 511-deep accept queue, and the
// direct figures would then measure the mock's queue, not the upstream a gateway sees.

import net from 'node:net';

const backlog = Number(process.env.LISTEN_BACKLOG) || 4096;
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenWithBacklog(...args) {
  const [first, second, third] = args;
  if (typeof first === 'object' && first !== null && first.backlog === undefined) {
    args[0] = { ...first, backlog };
  } else if (typeof first === 'number' && typeof second === 'string' && typeof third !== 'number') {
    // listen(port, host, callback?): the form the mock uses
    args.splice(2, 0, backlog);
  }
  return listen.apply(this, args);
};
