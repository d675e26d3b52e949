// mqtt.js's connect(), imported lazily (only a gateway with an uplink or a cloud hotlist
// loads the MQTT client). A module of our own, statically importing mqtt, so the bundle
// gives it its named exports and shares its dependencies with the rest of the gateway.
import { connect as mqttConnect, type IClientOptions, type MqttClient } from 'mqtt';

/** mqtt.js traces each packet through the debug module, about 110 call sites; while that
 *  tracing is off (no DEBUG variable) a no-op logger skips the calls, which cost 1–2 % of
 *  the main thread in a backlog drain. DEBUG=mqttjs* still turns it on. */
const quiet = process.env.DEBUG ? {} : { log: () => {} };

export function connect(url: string, opts: IClientOptions): MqttClient {
  return mqttConnect(url, { ...quiet, ...opts });
}
