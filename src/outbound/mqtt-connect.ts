// mqtt.js's connect(), imported lazily (only a gateway with an uplink or a cloud hotlist
// loads the MQTT client). A module of our own, statically importing mqtt, so the bundle
// gives it its named exports and shares its dependencies with the rest of the gateway.
export { connect } from 'mqtt';
