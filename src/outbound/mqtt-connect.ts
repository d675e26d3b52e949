// mqtt.js's connect(), imported lazily (only a gateway with an uplink or a cloud hotlist
// loads the MQTT client). A module of our own, statically importing mqtt, so the bundle
// gives it its named exports and shares its dependencies with the rest of the gateway.
// (Its per-packet tracing goes to the debug module, a no-op in the bundle unless DEBUG is
// set: src/quiet-debug.cjs.)
export { connect } from 'mqtt';
