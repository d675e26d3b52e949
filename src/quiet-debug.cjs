// The `debug` package as the bundle sees it (scripts/build.mjs points every
// require('debug') here). engine.io, socket.io, mqtt.js and express call debug() on every
// packet; debug 4's disabled function still gathers each call's arguments into an array,
// 2.5 % of everything durable Socket.IO ingest allocates (heap sampling). Unless DEBUG is
// set, each namespace gets a function that does nothing; with DEBUG set, the real package.
'use strict';

if (process.env.DEBUG) {
  module.exports = require('debug/src/index.js');
} else {
  const noop = () => {};
  const createDebug = (namespace) => {
    const debug = function debug() {};
    debug.namespace = namespace;
    debug.enabled = false;
    debug.useColors = false;
    debug.color = 0;
    debug.diff = 0;
    debug.log = noop;
    debug.destroy = () => false;
    debug.extend = (sub, delimiter = ':') => createDebug(`${namespace}${delimiter}${sub}`);
    return debug;
  };
  Object.assign(createDebug, {
    debug: createDebug, default: createDebug, enable: noop, disable: () => '', enabled: () => false,
    names: [], skips: [], formatters: {}, log: noop, coerce: (v) => v, selectColor: () => 0, humanize: (ms) => `${ms}ms`,
  });
  module.exports = createDebug;
}
